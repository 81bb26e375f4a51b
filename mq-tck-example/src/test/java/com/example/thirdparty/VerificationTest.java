package com.example.thirdparty;

import io.anymq.Capability;
import io.anymq.tck.TckReport;
import io.anymq.tck.TckReport.Outcome;
import io.anymq.tck.TckReport.Verdict;
import io.anymq.tck.TckSettings;
import io.anymq.tck.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite run as {@code mq verify} runs it, on a provider that keeps the contract and on one that does not. */
class VerificationTest {

    @TempDir
    Path reports;

    private TckSettings settings(String prefix) {
        return TckSettings.defaults().toBuilder().namePrefix(prefix).reportName("verify").reportDirectory(reports).build();
    }

    @Test
    void aProviderThatKeepsTheContractPassesAndItsUndeclaredCapabilityIsRefused() throws Exception {
        List<String> progress = new ArrayList<>();
        TckReport report = Verification.builder("thirdparty:verify")
                .only(List.of("roundTrip*", "refusalsOfUndeclaredCapabilities", "nothingArrivesBeforeDeliverAt"))
                .settings(settings("anymq-verify-test-"))
                .listener(new Verification.Listener() {
                    @Override
                    public void started(int n, int total, String scenario) {
                        progress.add(n + "/" + total + " " + scenario);
                    }
                }).build().run();

        assertThat(report.passed()).as(report.toMarkdown()).isTrue();
        assertThat(progress).hasSize(3).allSatisfy(p -> assertThat(p).contains("/3 "));
        assertThat(verdict(report, Capability.DELAYED_DELIVERY)).isEqualTo(Verdict.REFUSED_AS_REQUIRED);
        assertThat(report.scenarios()).filteredOn(s -> s.scenario().equals("nothingArrivesBeforeDeliverAt"))
                .extracting(TckReport.ScenarioResult::outcome).containsExactly(Outcome.NOT_RUN);
        // selected scenarios need NACK_REDELIVERY nowhere: the report says it was not verified, not that it passed
        assertThat(verdict(report, Capability.NACK_REDELIVERY)).isEqualTo(Verdict.NOT_VERIFIED);
        assertThat(report.names()).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("anymq-verify-test-"));
        assertThat(Files.readString(reports.resolve("verify.md"))).contains("| DELAYED_DELIVERY | no |", "anymq-verify-test-");
    }

    @Test
    void aProviderThatLosesMessagesFails() {
        TckReport report = Verification.builder("lossy:verify").only(List.of("concurrentProducersAreAllReceived", "topicsAreIsolated"))
                .settings(settings("anymq-verify-lossy-")).build().run();

        assertThat(report.passed()).isFalse();
        assertThat(report.count(Outcome.FAILED)).isPositive();
    }

    @Test
    void aPatternThatMatchesNoScenarioIsRefusedWithTheList() {
        assertThatThrownBy(() -> Verification.builder("thirdparty:x").only(List.of("roundtrp")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no scenario matches 'roundtrp'")
                .hasMessageContaining("roundTripKeepsPayloadKeyHeadersAndId");
    }

    @Test
    void aBrokerThatCannotBeReachedIsAnErrorNotAReport() {
        assertThatThrownBy(() -> Verification.builder("nosuchscheme://127.0.0.1:1").settings(settings("anymq-verify-x-")).build().run())
                .isInstanceOf(io.anymq.ConfigurationException.class)
                .hasMessageContaining("nosuchscheme");
    }

    private static Verdict verdict(TckReport report, Capability c) {
        return report.verdicts().stream().filter(v -> v.capability() == c).findFirst().orElseThrow().verdict();
    }
}
