package io.anymq.bench.peer;

import io.anymq.bench.Bench;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer bench end to end against a real broker from mq-harness: one short round of anymq, the native client and
 * Spring Cloud Stream at a fixed rate; every side sends, gets its confirms and receives everything, and the table has
 * the peer's ratio line. Run with
 * {@code mvn -B -ntp -pl mq-bench-peer -am verify -Pdrills -Dit.test=PeerBenchDrill -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false}
 * (about a minute: a broker start and three Spring Boot contexts per broker).
 */
class PeerBenchDrill {
    private static final Pattern RUN = Pattern.compile(
            "\\{\"label\": \"([^\"]+)\", \"target\": \"([^\"]+)\".*?\"confirmed\": (\\d+), \"received\": (\\d+), \"duplicates\": \\d+, "
                    + "\"redeliveries\": \\d+, \"lost\": (\\d+), \"failures\": (\\d+)");

    @ParameterizedTest
    @EnumSource(value = BrokerKind.class, names = {"RABBITMQ", "KAFKA"})
    void oneRoundOfTheThreeSidesLosesNothingAndReportsThePeersRatio(BrokerKind kind, @TempDir Path out) throws Exception {
        try (Broker broker = TestBrokers.provide(kind)) {
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            Bench bench = PeerBench.bench(List.of(broker.url(), "--rounds", "1", "--warmup-rounds", "0", "--warmup", "1s",
                            "--duration", "2s", "--size", "100", "--rate", "2000", "--out", out.toString()))
                    .printTo(new PrintStream(captured, true), new PrintStream(new ByteArrayOutputStream()), false);
            Bench.Result result = bench.run();
            String text = captured.toString();
            assertThat(result.lost()).as(text).isZero();
            assertThat(text).contains("ratio SDK/native").contains("ratio spring-cloud-stream/native: throughput");
            String json = Files.readString(result.json());
            Matcher m = RUN.matcher(json);
            int runs = 0;
            boolean peer = false;
            while (m.find()) {
                runs++;
                peer |= m.group(2).startsWith("spring-cloud-stream-");
                long confirmed = Long.parseLong(m.group(3));
                assertThat(confirmed).as(m.group(1) + " confirmed sends\n" + text).isPositive();
                assertThat(Long.parseLong(m.group(4))).as(m.group(1) + " received").isEqualTo(confirmed);
                assertThat(Long.parseLong(m.group(5))).as(m.group(1) + " lost").isZero();
                assertThat(Long.parseLong(m.group(6))).as(m.group(1) + " failures").isZero();
            }
            assertThat(runs).as(json).isEqualTo(3);
            assertThat(peer).as(json).isTrue();
            assertThat(json).contains("\"peerRatios\": {\"spring-cloud-stream\": {\"throughput\": ");
        }
    }
}
