package io.anymq.it.redis;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.Transaction;
import io.anymq.TransactionException;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.FreePorts;
import io.anymq.harness.ManagedProcess;
import io.anymq.harness.Probes;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.redis.RedisReplicationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The option {@code wait-replicas} on a real master with one replica (two {@code redis-server} processes, the replica
 * started with {@code --replicaof}), in the Streams and List modes: with {@code wait-replicas=1} every confirmed send is on the replica, so after a
 * {@code kill -9} of the master and the replica's promotion ({@code REPLICAOF NO ONE}) a consumer of the promoted
 * replica receives every one of them; one {@code WAIT} answers for a batch of concurrent sends; on the promoted server,
 * which has no replica, a send fails after {@code wait-timeout} with a {@link RedisReplicationException} (0 of 1
 * acknowledged) and the message is on the server all the same (in doubt, not refused), and a transaction's commit is
 * {@code UNKNOWN} with that cause, its send visible.
 */
class RedisWaitReplicasIT {
    private static final String HOST = "127.0.0.1";
    private static final int SENDS = 200;
    /** Where no replica can answer: the send fails after it (the test measures the wait). */
    private static final long WAIT_TIMEOUT_MS = 200;
    /**
     * Where the replica is linked: long enough for a replica on a loaded machine (200 ms once was not, in a full run,
     * and a send of the happy path came back in doubt); a healthy replica answers within milliseconds.
     */
    private static final long CONFIRM_TIMEOUT_MS = 5_000;
    private static final List<String> MODES = List.of("stream", "list");
    private final List<ManagedProcess> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(p -> p.stop(Duration.ofSeconds(2)));
    }

    @Test
    void confirmedSendsSurviveTheMastersDeathAndTooFewReplicasIsInDoubt() throws Exception {
        TestBrokers.requireNotSkipped(BrokerKind.REDIS);
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("redis-wait-");
        int master = FreePorts.next();
        int replica = FreePorts.next();
        ManagedProcess masterProcess = server(dir, master, List.of());
        server(dir, replica, List.of("--replicaof", HOST, Integer.toString(master)));
        await("replica linked").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> cli(replica, "INFO", "replication").contains("master_link_status:up"));
        long linked = System.nanoTime();

        Map<String, String> topics = new LinkedHashMap<>();
        for (String mode : MODES) {
            String topic = "wait-" + mode + "-" + System.nanoTime();
            topics.put(mode, topic);
            try (MessagingClient client = Messaging.connect("redis://" + HOST + ":" + master + options(mode, CONFIRM_TIMEOUT_MS))) {
                client.consumer(ConsumerOptions.builder(topic, "g").build()).close(); // the group exists before the sends
                try (Producer producer = client.producer(topic)) {
                    List<CompletableFuture<Receipt>> sends = new ArrayList<>();
                    for (int i = 0; i < SENDS; i++) {
                        sends.add(producer.send(Message.builder().payload("m-" + i).id("m-" + i).build()));
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                }
            }
        }
        long waits = waitCalls(master);
        assertThat(waits).as("WAITs for 2 × " + SENDS + " concurrent sends (one per batch)").isPositive().isLessThan(SENDS);
        masterProcess.kill(); // nothing more reaches the replica
        cli(replica, "REPLICAOF", "NO", "ONE");
        long promoted = System.nanoTime();

        for (String mode : MODES) {
            String topic = topics.get(mode);
            try (MessagingClient client = Messaging.connect("redis://" + HOST + ":" + replica + options(mode, WAIT_TIMEOUT_MS))) {
                Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "g").build());
                Set<String> received = new HashSet<>();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (received.size() < SENDS && System.nanoTime() < end) {
                    for (Delivery d : consumer.receive(SENDS, Duration.ofMillis(200))) {
                        received.add(d.message().id());
                        d.ack();
                    }
                }
                assertThat(received).as(mode + ": every confirmed send, read from the promoted replica").hasSize(SENDS);

                // the promoted server has no replica: WAIT 1 answers 0 after wait-timeout
                long start = System.nanoTime();
                Throwable failed;
                try (Producer producer = client.producer(topic)) {
                    failed = catchThrowable(() -> producer.send(Message.builder().payload("doubt").id("doubt").build()).join());
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
                assertThat(cause).as(mode).isInstanceOf(RedisReplicationException.class).hasMessageContaining("in doubt")
                        .hasMessageContaining("0 of the 1 replicas");
                assertThat(((RedisReplicationException) cause).acknowledged()).isZero();
                assertThat(((RedisReplicationException) cause).isRetryable()).isTrue();
                assertThat(tookMs).as(mode + ": the send waited wait-timeout").isGreaterThanOrEqualTo(WAIT_TIMEOUT_MS);
                List<Delivery> doubt = consumer.receive(1, Duration.ofSeconds(3));
                assertThat(doubt).as(mode + ": the in-doubt message is on the master").extracting(d -> d.message().id()).containsExactly("doubt");

                // a commit (one script on the shared connection, then its WAIT) is UNKNOWN: it took effect on the master
                Transaction tx = client.beginTransaction();
                tx.send(topic, Message.builder().payload("tx").id("tx").build());
                assertThatThrownBy(tx::commit).isInstanceOf(TransactionException.class)
                        .satisfies(e -> assertThat(((TransactionException) e).outcome()).isEqualTo(TransactionException.Outcome.UNKNOWN))
                        .hasRootCauseInstanceOf(RedisReplicationException.class);
                assertThat(consumer.receive(1, Duration.ofSeconds(3))).as(mode + ": the commit took effect on the master")
                        .extracting(d -> d.message().id()).containsExactly("tx");
                consumer.close();
                System.out.println("[wait-replicas] " + mode + ": " + SENDS + " sends confirmed, all " + received.size()
                        + " read from the promoted replica; without a replica the send failed after " + tookMs + " ms");
            }
        }
        System.out.printf("[wait-replicas] %d WAITs for 2 x %d sends; replica linked after %d ms, sends done after %d ms, all checked after %d ms%n",
                waits, SENDS, TimeUnit.NANOSECONDS.toMillis(linked - t0), TimeUnit.NANOSECONDS.toMillis(promoted - t0),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static String options(String mode, long waitTimeoutMs) {
        return "?mode=" + mode + "&wait-replicas=1&wait-timeout=" + waitTimeoutMs + "ms";
    }

    private ManagedProcess server(Path dir, int port, List<String> extra) {
        Path home = dir.resolve("node-" + port);
        List<String> command = new ArrayList<>(List.of("/usr/bin/redis-server", "--bind", HOST, "--port", Integer.toString(port),
                "--dir", home.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
                "--repl-diskless-sync-delay", "0")); // the default waits 5 s for more replicas before the first sync
        command.addAll(extra);
        ManagedProcess p = ManagedProcess.start("redis-" + port, command, Map.of(), home, home.resolve("redis.log"), false);
        started.add(p);
        await("redis " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> Probes.redisPing(HOST, port, null, null));
        return p;
    }

    /** How many WAIT commands the server ran ({@code INFO commandstats}). */
    private static long waitCalls(int port) throws IOException, InterruptedException {
        for (String line : cli(port, "INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_wait:calls=")) {
                return Long.parseLong(line.substring("cmdstat_wait:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    private static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/redis-cli", "-h", HOST, "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
