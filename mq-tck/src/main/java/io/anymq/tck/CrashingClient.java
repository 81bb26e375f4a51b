package io.anymq.tck;

import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.StartPosition;
import io.anymq.Transaction;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A client in a child JVM that opens a transaction, does its work, prints {@code READY} and waits to be killed
 * ({@code kill -9}) before it commits: what the crash scenarios of {@link TransactionFaultScenarios} run. The child is
 * {@code java -cp <this JVM's class path> io.anymq.tck.CrashingClient FILE MODE ARGS}: it finds the provider under test
 * as this JVM does. Its connection (URL and options, possibly secrets) goes in FILE, readable by its owner only and
 * deleted when the child is gone, never on the command line.
 *
 * <p>Arguments: {@code MODE TOPIC GROUP START ACK_TIMEOUT_MS RECEIVE_TIMEOUT_MS OUT [COUNT ID_PREFIX]}. The child first
 * receives one delivery of GROUP on TOPIC (the parent sent it: the child reaches the same broker); if none comes within
 * the receive timeout it prints {@code UNREACHABLE} and ends, for a backend that lives in one JVM ({@code mem:}). Then,
 * in mode {@code ack}, a transaction that sends {@code out-<its id>} to OUT and acks it in the transaction; in mode
 * {@code send}, it acks the delivery plainly and a transaction sends COUNT messages to OUT, ids {@code ID_PREFIX<i>}.
 * READY is followed by the delivery's id.
 */
final class CrashingClient implements AutoCloseable {
    static final String READY = "READY";
    static final String UNREACHABLE = "UNREACHABLE";

    private final Process process;
    private final Path dir;
    private final Path out;
    private final Path err;

    private CrashingClient(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        this.out = dir.resolve("stdout");
        this.err = dir.resolve("stderr");
    }

    /** Starts a child with the connection and the mode's arguments. */
    static CrashingClient start(Map<String, String> connection, List<String> args) {
        try {
            Path dir = Files.createTempDirectory("anymq-tck-child");
            Path file = dir.resolve("connection.properties");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Properties p = new Properties();
            p.putAll(connection);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "anymq TCK child connection");
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashingClient.class.getName(), file.toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile()).start();
            return new CrashingClient(process, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a child JVM for the crash scenario: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the child printed READY; returns what followed it on the line (the acked delivery's id, or empty).
     * Fails, with the child's standard error, if it ended or did not get there within {@code timeout}.
     */
    String awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String line : lines(out)) {
                if (line.startsWith(READY)) {
                    return line.substring(READY.length()).strip();
                }
                if (line.startsWith(UNREACHABLE)) {
                    Assumptions.abort("the child JVM did not receive what this one sent: the backend lives in one JVM (mem:), so no"
                            + " other process reaches it (" + line + ")");
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the child client ended (exit " + process.exitValue() + ") before it was ready: " + tail(err));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child client was not ready within " + timeout + ": " + tail(err));
    }

    /** {@code kill -9} ({@link Process#destroyForcibly()}), then waits until the child is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child client " + process.pid() + " did not end within 30 s of kill -9");
        }
    }

    /** Kills the child if it still runs and deletes its files (the connection too). */
    @Override
    public void close() {
        process.destroyForcibly();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; nothing of the test depends on it
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String tail(Path file) {
        List<String> l = lines(file);
        return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    }

    /** The child: see the class comment. */
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        p.stringPropertyNames().forEach(n -> options.put(n, p.getProperty(n)));
        MessagingClient client = Messaging.connect(MessagingConfig.builder().environment(System.getenv()).options(options).build());
        ConsumerOptions.Builder o = ConsumerOptions.builder(args[2], args[3])
                .startPosition("EARLIEST".equals(args[4]) ? StartPosition.EARLIEST : StartPosition.LATEST);
        long ackTimeout = Long.parseLong(args[5]);
        if (ackTimeout > 0) {
            o.ackTimeout(Duration.ofMillis(ackTimeout));
        }
        java.util.Optional<Delivery> received = client.consumer(o.build()).receive(Duration.ofMillis(Long.parseLong(args[6])));
        if (received.isEmpty()) {
            System.out.println(UNREACHABLE + " nothing arrived on " + args[2] + " for group " + args[3] + " within " + args[6] + " ms");
            System.out.flush();
            System.exit(3);
        }
        Delivery d = received.get();
        Transaction tx = client.beginTransaction();
        switch (args[1]) {
            case "ack" -> {
                tx.send(args[7], Message.builder().payload("processed").id("out-" + d.message().id()).build());
                tx.ack(d);
            }
            case "send" -> {
                d.ack().join();
                for (int i = 0; i < Integer.parseInt(args[8]); i++) {
                    tx.send(args[7], Message.builder().payload("never-" + i).id(args[9] + i).build());
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[1]);
        }
        String ready = READY + " " + d.message().id();
        System.out.println(ready);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // the test kills this process before the commit
    }
}
