package io.anymq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static io.anymq.cli.MainTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code mq verify} on named mem: brokers. */
class VerifyCommandTest {

    @TempDir
    Path dir;

    private static String broker() {
        return "mem:verify-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void verifiesTheSelectedScenariosWithProgressSummaryAndAJsonReport() throws Exception {
        Path report = dir.resolve("out/report.json");
        MainTest.Run r = run("verify", broker(), "--only", "roundTrip*,refusalsOfUndeclaredCapabilities", "--prefix", "anymq-verify-cli-",
                "--report", report.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.err()).contains("[1/2] ", "[2/2] ", "names start with anymq-verify-cli-");
        // mem: declares every capability that can be asked for: the refusal scenario passes with nothing to refuse
        assertThat(r.out()).contains("mem: 2 scenarios passed, 0 failed", "PERSISTENCE", "TRANSACTIONS", "not verified", "PASSED");
        String json = Files.readString(report);
        assertThat(json).startsWith("{\"provider\":\"mem\",\"passed\":true")
                .contains("{\"capability\":\"TRANSACTIONS\",\"declared\":true,\"verdict\":\"NOT_VERIFIED\"")
                .contains("\"names\":[\"anymq-verify-cli-");
    }

    @Test
    void writesMarkdownByDefaultExtension() throws Exception {
        Path report = dir.resolve("report.md");
        MainTest.Run r = run("verify", broker(), "--only", "settlingTwiceIsRefusedAsDocumented", "--report", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(report)).startsWith("# Capability report: verify").contains("| settlingTwiceIsRefusedAsDocumented | - | passed |")
                .contains("## Names made").contains("`anymq-verify-");
    }

    @Test
    void listsTheScenarios() {
        MainTest.Run r = run("verify", "--list");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("roundTripKeepsPayloadKeyHeadersAndId\n", "refusalsOfUndeclaredCapabilities\n");
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertThat(run("verify").exit()).isEqualTo(Main.USAGE);
        MainTest.Run unknown = run("verify", broker(), "--only", "nosuchscenario", "--report", dir.resolve("r.md").toString());
        assertThat(unknown.exit()).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("no scenario matches 'nosuchscenario'");
        assertThat(run("verify", broker(), "--prefix", "Bad Prefix", "--report", dir.resolve("r.md").toString()).exit()).isEqualTo(Main.USAGE);
    }

    @Test
    void anUnknownSchemeFailsWithOneLine() {
        MainTest.Run r = run("verify", "nosuchscheme://127.0.0.1:1", "--only", "topicsAreIsolated", "--report", dir.resolve("r.md").toString());
        assertThat(r.exit()).isEqualTo(Main.FAILED);
        assertThat(r.err()).contains("mq: ").contains("nosuchscheme");
    }
}
