package io.anymq.it.harness;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.harness.BrokerHome;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code mq broker} promises, for each of the ten brokers, through {@link BrokerHome} (the class the
 * command is a thin layer over), with a real anymq client: start; a persistent message sent; {@code kill}
 * ends the process that serves and every helper of the broker (no epmd left behind); {@code restart}
 * comes back on the same port with the same data, and the message is still there (memcached, which
 * declares no PERSISTENCE: nothing is, and the test says so); a graceful {@code stop} and a {@code start}
 * keep the port and the data too; {@code stop --delete} removes the data and leaves no process.
 * The pid recorded (what {@code mq broker list} shows) is the process that serves: the JVM of a JVM
 * broker, {@code beam.smp} for RabbitMQ (not its start script).
 */
class BrokerHomeRestartDrill {
    private static final Path HOME = Path.of("target", "broker-home-it");
    private static final Duration RECEIVE_BOUND = Duration.ofSeconds(120);

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void keepsPortAndDataAcrossKillStopAndRestartUntilDeleted(BrokerKind kind) throws Exception {
        TestBrokers.requireNotSkipped(kind);
        BrokerHome home = new BrokerHome(HOME);
        home.stop(kind, true); // what an earlier, interrupted run may have left
        List<BrokerHome.Proc> seen = new ArrayList<>();
        try {
            BrokerHome.Entry started = home.start(kind, 0);
            seen.addAll(started.processes());
            assertThat(started.state()).isEqualTo("running");
            assertServes(kind, started);
            String url = url(kind, started);
            String topic = "home-" + UUID.randomUUID().toString().substring(0, 8);
            boolean persists;
            try (MessagingClient client = Messaging.connect(url)) {
                persists = client.capabilities().has(Capability.PERSISTENCE);
                assertThat(persists).as("PERSISTENCE declared").isEqualTo(kind.persistent());
                // the group exists on the broker before the message is sent (for backends without replay)
                try (Consumer c = client.consumer(options(client, topic))) {
                    c.receive(1, Duration.ofMillis(500));
                }
                if (kind == BrokerKind.RABBITMQ) {
                    // RabbitMQ 3.10 writes a new queue's definition to disk a moment later: a queue made just before
                    // kill -9 may come back without a leader (RabbitMqRestartIT.aQueueMadeJustBeforeAKillNine)
                    Thread.sleep(5000);
                }
                client.producer(topic).send(Message.builder().payload("before-kill").build()).get(60, TimeUnit.SECONDS);
            }

            long t0 = System.nanoTime();
            home.kill(kind);
            assertGone(kind, started, "after kill");
            assertThat(home.entry(kind).orElseThrow().state()).isEqualTo("dead");
            assertThat(home.dataDir(kind)).isDirectory();

            BrokerHome.Entry restarted = home.restart(kind);
            System.out.printf("%s: kill + restart on port %d in %d ms%n", kind.id(), restarted.port(), (System.nanoTime() - t0) / 1_000_000);
            seen.addAll(restarted.processes());
            assertThat(restarted.port()).as("same port").isEqualTo(started.port());
            assertThat(restarted.url()).isEqualTo(started.url());
            assertThat(restarted.dataDir()).isEqualTo(started.dataDir());
            assertServes(kind, restarted);
            if (persists) {
                assertThat(receive(url, topic, "before-kill", RECEIVE_BOUND)).as("the message sent before kill -9, after restart").contains("before-kill");
            } else {
                assertThat(receive(url, topic, "before-kill", Duration.ofSeconds(5))).as(kind.id() + " keeps nothing across a restart").isEmpty();
                System.out.printf("%s: empty after kill and restart, as it declares (no PERSISTENCE)%n", kind.id());
            }

            try (MessagingClient client = Messaging.connect(url)) {
                client.producer(topic).send(Message.builder().payload("before-stop").build()).get(60, TimeUnit.SECONDS);
            }
            home.stop(kind, false);
            assertGone(kind, restarted, "after stop");
            assertThat(home.entry(kind).orElseThrow().state()).isEqualTo("stopped");
            BrokerHome.Entry again = home.start(kind, 0);
            seen.addAll(again.processes());
            assertThat(again.port()).as("same port after stop and start").isEqualTo(started.port());
            if (persists) {
                assertThat(receive(url, topic, "before-stop", RECEIVE_BOUND)).as("the message sent before a graceful stop, after start").contains("before-stop");
            } else {
                assertThat(receive(url, topic, "before-stop", Duration.ofSeconds(5))).isEmpty();
            }

            home.stop(kind, true);
            assertGone(kind, again, "after stop --delete");
            assertThat(home.dataDir(kind)).as("data deleted").doesNotExist();
            assertThat(home.entry(kind)).isEmpty();
            assertThat(seen).as("no process of the broker left").noneMatch(BrokerHome.Proc::alive);
        } catch (Throwable e) {
            System.err.println("--- " + kind.id() + " logs ---\n" + logTail(home.dataDir(kind), 60));
            throw e;
        } finally {
            home.stop(kind, true);
        }
    }

    /** The recorded pid is alive and is the process that serves: not a shell wrapper. */
    private static void assertServes(BrokerKind kind, BrokerHome.Entry e) {
        ProcessHandle serving = e.serving().handle().orElseThrow(() -> new AssertionError(kind.id() + ": serving pid not alive"));
        String command = serving.info().command().orElse("");
        String expected = switch (kind) {
            case REDIS -> "redis-server";
            case MEMCACHED -> "memcached";
            case NATS -> "nats-server";
            case RABBITMQ -> "beam.smp";
            default -> "java";
        };
        String executable = Path.of(command).getFileName().toString();
        if (kind == BrokerKind.REDIS && executable.equals("redis-check-rdb")) {
            executable = "redis-server"; // Debian's /usr/bin/redis-server is a link to redis-check-rdb, one binary for both
        }
        assertThat(executable).as(kind.id() + " serving pid " + serving.pid()).isEqualTo(expected);
        assertThat(e.processes()).allMatch(BrokerHome.Proc::alive);
        assertThat(accepts(e.port())).as("main port accepts").isTrue();
    }

    private static void assertGone(BrokerKind kind, BrokerHome.Entry e, String when) {
        assertThat(e.serving().alive()).as(kind.id() + " serving process " + when).isFalse();
        assertThat(e.processes()).as(kind.id() + " processes " + when).noneMatch(BrokerHome.Proc::alive);
        assertThat(accepts(e.port())).as(kind.id() + " port " + when).isFalse();
        String epmd = e.nativeProperties().get("epmd.port");
        if (epmd != null) {
            assertThat(accepts(Integer.parseInt(epmd))).as("rabbitmq's epmd " + when).isFalse();
        }
    }

    private static String url(BrokerKind kind, BrokerHome.Entry e) {
        return kind == BrokerKind.NATS ? e.url() + (e.url().contains("?") ? "&" : "?") + "jetstream=true" : e.url();
    }

    private static ConsumerOptions options(MessagingClient client, String topic) {
        StartPosition start = io.anymq.it.DrillBackends.earliestPossible(client);
        return ConsumerOptions.builder(topic, "home").startPosition(start).build();
    }

    /**
     * Receives (and acks) the group's messages until the expected one came or the bound passed; returns every
     * payload received (an at-least-once broker may deliver an earlier message again). Connection errors
     * right after a restart are retried within the bound (some brokers answer before every queue is back).
     */
    private static List<String> receive(String url, String topic, String expected, Duration bound) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline && !got.contains(expected)) {
            try (MessagingClient client = Messaging.connect(url); Consumer c = client.consumer(options(client, topic))) {
                while (System.nanoTime() < deadline && !got.contains(expected)) {
                    Optional<Delivery> d = c.receive(Duration.ofSeconds(2));
                    if (d.isPresent()) {
                        got.add(d.get().message().payloadAsString());
                        d.get().ack().get(30, TimeUnit.SECONDS);
                    }
                }
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        if (!got.contains(expected) && last != null) {
            System.out.println("last error while receiving from " + topic + ": " + last);
        }
        return got;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String logTail(Path dataDir, int lines) {
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "(no logs)";
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(logs)) {
            for (Path f : s.sorted().toList()) {
                List<String> all = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                b.append("== ").append(f.getFileName()).append('\n');
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }
}
