package io.anymq.it.verify;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HarnessFaults;
import io.anymq.tck.BrokerFaults;
import io.anymq.tck.TckReport;
import io.anymq.tck.TckReport.Outcome;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mq verify}'s fault and stress paths on a real broker (Redis Streams, AOF with fsync always): the fault
 * scenarios kill -9 and restart the harness's Redis through a {@link BrokerFaults} hook in the middle of a stream and
 * lose nothing confirmed; the stress scenarios count what they sent; and afterwards every key the run made is gone
 * (TOPIC_DELETION); three copies of a few scenarios run at once, each with names of its own. Scaled down to stay
 * within a few seconds each; {@code mq verify --faults/--stress/--copies} runs them whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyFaultsAndStressIT {
    private final Broker broker = TestBrokers.provide(BrokerKind.REDIS);

    @TempDir
    Path reports;

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    private TckSettings settings(String prefix) {
        return TckSettings.defaults().toBuilder().receiveTimeout(Duration.ofSeconds(20)).scale(10).namePrefix(prefix)
                .reportName("verify").reportDirectory(reports).deleteWhatItMade(true).build();
    }

    @Test
    void faultScenariosKillAndRestartTheBrokerAndLoseNothingConfirmed() {
        Assumptions.assumeTrue(broker.source().equals("local-process"), "the harness may kill only a broker it started");
        BrokerFaults harness = HarnessFaults.of(broker);
        String prefix = "anymq-verify-faults-";
        TckReport report = Verification.builder(broker.url() + "?mode=stream").faults(harness).settings(settings(prefix))
                .only(List.of("brokerKilledAtAThird*", "brokerRestarted*", "clientsWorkAgainAfterABrokerRestart")).build().run();

        assertThat(report.passed()).as(report.toMarkdown()).isTrue();
        assertThat(report.count(Outcome.PASSED)).as(report.toMarkdown()).isEqualTo(3);
        assertThat(report.tallies()).hasSize(2).allSatisfy(t -> {
            assertThat(t.lost()).isZero();
            assertThat(t.confirmed()).isPositive();
        });
        assertNothingLeft(report, prefix);
    }

    @Test
    void stressScenariosRunWithCountsAndLeaveNothing() {
        String prefix = "anymq-verify-stress-";
        TckReport report = Verification.builder(broker.url() + "?mode=stream").settings(settings(prefix).toBuilder().stress(true).build())
                .only(List.of("stressFifty*", "stressMembers*", "stressThreeMembers*", "stressConcurrentHandlers*")).build().run();

        assertThat(report.passed()).as(report.toMarkdown()).isTrue();
        assertThat(report.count(Outcome.PASSED)).as(report.toMarkdown()).isEqualTo(4);
        assertThat(report.tallies()).extracting(TckReport.Tally::lost).containsOnly(0L);
        assertNothingLeft(report, prefix);
    }

    /**
     * Three copies of two quick scenarios at once on the one Redis ({@code mq verify --copies 3}): each passes with its own
     * names (13 s with four scenarios on a loaded machine: two keep it within a few seconds; VerifyCopiesDrill runs the whole suite).
     */
    @Test
    void copiesOfTheSuiteRunAtOnceEachWithNamesOfItsOwn() {
        String prefix = "anymq-verify-copies-";
        List<TckReport> reports = Verification.builder(broker.url() + "?mode=stream").settings(settings(prefix)).copies(3)
                .only(List.of("roundTrip*", "settlingTwice*")).build().runCopies();

        assertThat(reports).hasSize(3);
        for (int c = 1; c <= 3; c++) {
            TckReport report = reports.get(c - 1);
            assertThat(report.passed()).as("copy " + c + ":\n" + report.toMarkdown()).isTrue();
            assertThat(report.count(Outcome.PASSED)).as(report.toMarkdown()).isEqualTo(2);
            assertThat(report.name()).isEqualTo("verify-copy" + c);
            String own = prefix + "c" + c + "-";
            assertThat(report.names()).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith(own));
            assertNothingLeft(report, own);
        }
    }

    @SuppressWarnings("unchecked")
    private void assertNothingLeft(TckReport report, String prefix) {
        assertThat(report.deleted()).isNotEmpty();
        assertThat(report.leftBehind()).isEmpty();
        try (MessagingClient client = Messaging.connect(broker.url())) {
            StatefulRedisConnection<byte[], byte[]> redis = client.unwrap(StatefulRedisConnection.class);
            assertThat(redis.sync().keys("anymq:{" + prefix + "*"))
                    .as("keys of the run left on Redis").isEmpty();
        }
    }
}
