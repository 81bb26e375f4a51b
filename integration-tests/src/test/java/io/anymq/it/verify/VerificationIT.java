package io.anymq.it.verify;

import io.anymq.Capability;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.anymq.tck.TckReport;
import io.anymq.tck.TckReport.Verdict;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mq verify}'s engine ({@link Verification}) on every harness broker and every mode: a selection of
 * quick scenarios (the round trip, the refusals of what is not declared, settling twice) runs through
 * the URL alone, passes, refuses every undeclared capability, makes only names with its prefix, and deletes
 * every topic it made where the backend declares TOPIC_DELETION. The
 * whole suite per mode runs in the backends' TCK ITs; this shows the command's path works on each.
 */
@HeavyBrokers
class VerificationIT {
    private static final List<String> QUICK = List.of("roundTripKeepsPayloadKeyHeadersAndId", "refusalsOfUndeclaredCapabilities",
            "settlingTwiceIsRefusedAsDocumented");

    /** The URLs of every mode of a broker's backend, as its TCK ITs connect. */
    private static final Map<BrokerKind, Function<Broker, List<String>>> MODES = Map.ofEntries(
            Map.entry(BrokerKind.REDIS, b -> List.of(b.url() + "?mode=stream", b.url() + "?mode=list", b.url() + "?mode=zset")),
            Map.entry(BrokerKind.MEMCACHED, b -> List.of(b.url() + "?eviction=refuse")),
            Map.entry(BrokerKind.NATS, b -> List.of(b.url(), b.url() + "?jetstream=true")),
            Map.entry(BrokerKind.RABBITMQ, b -> List.of(b.url() + "/?queue-type=quorum&unroutable=accept",
                    b.url() + "/?queue-type=classic&unroutable=accept")),
            Map.entry(BrokerKind.KAFKA, b -> List.of(b.url() + "?mode=ordered", b.url() + "?mode=shared")),
            Map.entry(BrokerKind.ACTIVEMQ, b -> List.of(b.url())), // the +ssl forms: JmsBackendTests
            Map.entry(BrokerKind.ARTEMIS, b -> List.of(b.url())),
            Map.entry(BrokerKind.HORNETQ, b -> List.of(b.url())),
            Map.entry(BrokerKind.ROCKETMQ, b -> List.of(b.url(), b.url() + "&mode=fifo")),
            Map.entry(BrokerKind.PULSAR, b -> List.of(b.url() + "?mode=shared", b.url() + "?mode=key_shared",
                    b.url() + "?mode=failover&partitions=4&admin-url=" + b.nativeProperties().get("adminUrl"))));

    @TempDir
    Path reports;

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void quickScenariosPassOnEveryModeThroughTheUrlAlone(BrokerKind kind) throws Exception {
        assertThat(MODES).as("every harness broker has its modes listed here").containsKey(kind);
        try (Broker broker = TestBrokers.provide(kind)) {
            for (String url : MODES.get(kind).apply(broker)) {
                String prefix = "anymq-verify-it" + Integer.toHexString(url.hashCode() & 0xfffff) + "-";
                TckReport report = Verification.builder(url).only(QUICK)
                        .settings(TckSettings.defaults().toBuilder().receiveTimeout(Duration.ofSeconds(40)).namePrefix(prefix)
                                .reportName("verify").reportDirectory(reports).deleteWhatItMade(true).build())
                        .build().run();
                assertThat(report.scenarios()).as(url).extracting(TckReport.ScenarioResult::scenario).containsExactlyInAnyOrderElementsOf(QUICK);
                assertThat(report.passed()).as(url + ":\n" + report.toMarkdown()).isTrue();
                for (TckReport.CapabilityVerdict v : report.verdicts()) {
                    if (!v.declared() && v.verdict() != Verdict.NOT_DECLARED_PROPERTY) {
                        assertThat(v.verdict()).as(url + " " + v.capability()).isEqualTo(Verdict.REFUSED_AS_REQUIRED);
                    }
                }
                assertThat(report.names()).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith(prefix));
                if (report.capabilities().has(Capability.TOPIC_DELETION)) {
                    assertThat(report.leftBehind()).as(url + ": what the run could not delete").isEmpty();
                    assertThat(report.deleted()).as(url).isNotEmpty();
                } else {
                    assertThat(report.leftBehind()).as(url).isNotEmpty()
                            .allSatisfy((topic, why) -> assertThat(why).contains("does not declare TOPIC_DELETION"));
                }
                assertThat(Files.readString(reports.resolve("verify.md"))).contains(report.provider(), prefix);
            }
        }
    }
}
