package io.anymq.inmemory;

import io.anymq.Messaging;
import io.anymq.tck.TckReport;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's stress scenario of consume-process-produce over 10,000 inputs (#24) on {@code mem:}, in every build: the
 * other stress scenarios stay out of it ({@code InMemoryTckTest} runs without stress mode). The crash and broker-kill
 * scenarios do not apply: the broker lives in this JVM.
 */
class InMemoryTransactionStressTest {

    @Test
    void consumeProcessProduceOverTenThousandInputsWritesEachExactlyOnce(@TempDir Path reports) {
        String url = "mem:tx-stress-" + UUID.randomUUID();
        TckReport report = Verification.builder(() -> Messaging.connect(url))
                .settings(TckSettings.defaults().toBuilder().stress(true).reportDirectory(reports).reportName("mem-tx-stress").build())
                .only(List.of("stressConsumeProcessProduceOverTenThousandInputsWritesEachExactlyOnce")).build().run();

        assertThat(report.passed()).as(report.toMarkdown()).isTrue();
        assertThat(report.count(TckReport.Outcome.PASSED)).as(report.toMarkdown()).isEqualTo(1);
        assertThat(report.tallies()).singleElement().satisfies(t -> {
            assertThat(t.sent()).isEqualTo(10_000);
            assertThat(t.received()).isEqualTo(10_000);
            assertThat(t.lost()).isZero();
            assertThat(t.duplicates()).isZero();
        });
    }
}
