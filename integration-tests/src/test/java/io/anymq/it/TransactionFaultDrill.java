package io.anymq.it;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.tck.TckReport;
import io.anymq.tck.TckReport.Outcome;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions under faults (#24, run with {@code -Pdrills}): on every backend that declares {@code TRANSACTIONS}, the
 * suite's transaction scenarios with the harness broker as the fault hook, child processes on and stress mode: a client
 * JVM killed before its commit (with an acked delivery where {@code TRANSACTIONAL_ACK} is declared, with sends only
 * otherwise), the broker killed ({@code kill -9}) and restarted while transactions of ten sends commit in a loop, and
 * consume-process-produce over 10,000 inputs. Results: {@code target/drill/transactions.md}, the reports of the suite
 * under {@code target/drill/tck/}. {@code -Ddrill.backends=kafka-ordered,...} chooses the backends. {@code mem:} runs the
 * 10,000 in its own module ({@code InMemoryTransactionStressTest}): it has no broker to kill, and a child JVM would reach a
 * broker of its own.
 */
class TransactionFaultDrill {
    private static final List<String> SCENARIOS = List.of("aClientKilledBeforeItsCommit*", "brokerKilledDuringCommits*",
            "stressConsumeProcessProduce*");

    private record Backend(BrokerKind kind, Function<Broker, String> url) {
    }

    private static final Map<String, Backend> BACKENDS = new LinkedHashMap<>();

    static {
        BACKENDS.put("artemis", new Backend(BrokerKind.ARTEMIS, Broker::url));
        BACKENDS.put("activemq", new Backend(BrokerKind.ACTIVEMQ, Broker::url));
        BACKENDS.put("hornetq", new Backend(BrokerKind.HORNETQ, Broker::url));
        BACKENDS.put("pulsar-shared", new Backend(BrokerKind.PULSAR,
                b -> b.url() + "?mode=shared&transactions=true&admin-url=" + b.nativeProperties().get("adminUrl")));
        // a dead member's partitions come back after the group's session timeout (the broker's group.consumer.session.timeout.ms, 45 s)
        BACKENDS.put("kafka-ordered", new Backend(BrokerKind.KAFKA, b -> b.url() + "?mode=ordered"));
        // a standalone server (transactions are one script; not declared on a Cluster), AOF appendfsync always
        BACKENDS.put("redis-stream", new Backend(BrokerKind.REDIS, b -> b.url() + "?mode=stream"));
        BACKENDS.put("redis-list", new Backend(BrokerKind.REDIS, b -> b.url() + "?mode=list"));
        BACKENDS.put("redis-zset", new Backend(BrokerKind.REDIS, b -> b.url() + "?mode=zset"));
    }

    private static final List<String> ROWS = new ArrayList<>();

    @TestFactory
    List<DynamicTest> transactionsAreWholeOrAbsentWhatEverDies() {
        return DrillBackends.tests(BACKENDS, TransactionFaultDrill::drill);
    }

    private static void drill(String name, Backend backend) {
        TckSettings settings = TckSettings.defaults().toBuilder().stress(true).childProcesses(true).reportName(name)
                .reportDirectory(Path.of("target", "drill", "tck")).namePrefix("txdrill-").deleteWhatItMade(true).build();
        TckReport report;
        try (Broker broker = TestBrokers.provide(backend.kind())) {
            TestBrokers.requireKillable(broker);
            report = Verification.builder(backend.url().apply(broker)).faults(HarnessFaults.of(broker)).settings(settings)
                    .only(SCENARIOS).build().run();
        }
        ROWS.add(row(name, report));
        assertThat(report.passed()).as(report.toMarkdown()).isTrue();
        assertThat(report.count(Outcome.FAILED)).as(report.toMarkdown()).isZero();
    }

    private static String row(String name, TckReport report) {
        StringBuilder row = new StringBuilder("| ").append(name);
        for (TckReport.ScenarioResult r : report.scenarios()) {
            String seen = report.observations().getOrDefault(r.scenario(), "");
            row.append(" | ").append(r.scenario()).append(": ").append(r.outcome())
                    .append(r.outcome() == Outcome.PASSED ? "" : " (" + r.detail() + ")")
                    .append(seen.isEmpty() ? "" : " — " + seen);
        }
        return row.append(" |").toString();
    }

    @AfterAll
    static void writeReport() throws IOException {
        DrillBackends.writeTable("transactions.md", List.of("backend", "scenarios: outcome — what they counted"), ROWS);
    }
}
