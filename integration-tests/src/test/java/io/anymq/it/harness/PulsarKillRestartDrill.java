package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pulsar standalone (RocksDB metadata) survives {@code kill -9}: several kill/restart cycles, each
 * one healthy within a bound, with every persistent message whose send completed still readable,
 * and without the bookie re-registration loop that stale ephemeral nodes caused (mq-harness README).
 * The health endpoint answers 200 even while that loop runs, so the test also watches the broker's
 * log and CPU for a while after each restart.
 */
class PulsarKillRestartDrill {
    private static final int CYCLES = 3;
    private static final int PER_CYCLE = 200;
    private static final Duration RESTART_BOUND = Duration.ofSeconds(60);
    private static final Duration WATCH = Duration.ofSeconds(10);

    @Test
    void survivesKillNineAndRestartWithItsMessagesAndNoRegistrationLoop() throws Exception {
        Broker broker = TestBrokers.provide(BrokerKind.PULSAR);
        try {
            TestBrokers.requireKillable(broker);
            String topic = "persistent://public/default/kill-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> sent = new ArrayList<>();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                sent.addAll(produce(broker, topic, cycle));
                long pid = broker.pid();
                long logLinesBefore = lines(broker.logFile());
                broker.kill();
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("killed").isFalse();

                long t0 = System.nanoTime();
                broker.restart(); // returns once /admin/v2/brokers/health is 200
                long restartMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("pulsar cycle %d: healthy %d ms after kill -9 (%d messages sent so far)%n", cycle, restartMs, sent.size());
                assertThat(Duration.ofMillis(restartMs)).as("restart after kill -9").isLessThan(RESTART_BOUND);

                ProcessHandle process = ProcessHandle.of(broker.pid()).orElseThrow();
                Duration cpu0 = process.info().totalCpuDuration().orElse(Duration.ZERO);
                Thread.sleep(WATCH.toMillis());
                Duration cpu = process.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpu0);
                long registrationLines = newLinesContaining(broker.logFile(), logLinesBefore, "/ledgers/available/");
                System.out.printf("pulsar cycle %d: %d ms CPU over the %d s after the restart, %d log lines about /ledgers/available%n",
                        cycle, cpu.toMillis(), WATCH.toSeconds(), registrationLines);
                assertThat(registrationLines).as("bookie registration lines since the restart (a loop writes thousands)").isLessThan(50);
                assertThat(cpu).as("CPU of an idle broker over " + WATCH).isLessThan(WATCH.dividedBy(2));

                assertThat(readAll(broker, topic)).as("every completed send, in order, after cycle " + cycle).isEqualTo(sent);
            }
        } catch (Throwable e) {
            System.err.println("--- pulsar log tail ---\n" + broker.logTail(80));
            throw e;
        } finally {
            broker.close();
        }
    }

    private static PulsarClient client(Broker broker) throws Exception {
        return PulsarClient.builder().serviceUrl(broker.nativeProperties().get("serviceUrl"))
                .operationTimeout(30, TimeUnit.SECONDS).build();
    }

    private static List<String> produce(Broker broker, String topic, int cycle) throws Exception {
        List<String> sent = new ArrayList<>();
        try (PulsarClient c = client(broker); Producer<String> p = c.newProducer(Schema.STRING).topic(topic).create()) {
            for (int i = 0; i < PER_CYCLE; i++) {
                String value = "cycle-" + cycle + "-" + i;
                p.send(value); // returns once the bookie has persisted it
                sent.add(value);
            }
        }
        return sent;
    }

    private static List<String> readAll(Broker broker, String topic) throws Exception {
        List<String> got = new ArrayList<>();
        try (PulsarClient c = client(broker);
             Reader<String> r = c.newReader(Schema.STRING).topic(topic).startMessageId(MessageId.earliest).create()) {
            Message<String> m;
            while ((m = r.readNext(10, TimeUnit.SECONDS)) != null) {
                got.add(m.getValue());
            }
        }
        return got;
    }

    private static long lines(Path log) throws Exception {
        try (var s = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return s.count();
        }
    }

    private static long newLinesContaining(Path log, long skip, String text) throws Exception {
        try (var s = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return s.skip(skip).filter(l -> l.contains(text)).count();
        }
    }
}
