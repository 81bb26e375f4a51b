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
    void noGeneratedIdsOnlyWeakensTheRoundTripsGeneratedIdCheck() {
        // mem: carries generated ids, so the round trip passes either way; on core NATS with send-generated-ids=false it
        // passes only with the flag (mq-nats README, NatsCoreNoGeneratedIdsTckIT)
        MainTest.Run r = run("verify", broker(), "--only", "roundTrip*", "--no-generated-ids", "--report", dir.resolve("n.md").toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("scenarios passed, 0 failed");
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
    void deletesEveryTopicItMadeAndSaysSo() throws Exception {
        String broker = broker();
        Path report = dir.resolve("r.json");
        MainTest.Run r = run("verify", broker, "--only", "roundTrip*,everyGroupReceivesEveryMessage,rejectGoesToTheDeadLetterTopic",
                "--prefix", "anymq-verify-del-", "--report", report.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).containsPattern("topic and group names made, all starting with anymq-verify-del-; [1-9][0-9]* topics deleted with their groups, 0 left");
        assertThat(Files.readString(report)).contains("\"deleted\":[\"anymq-verify-del-", "\"left\":{}");
        try (io.anymq.MessagingClient c = io.anymq.Messaging.connect(broker)) {
            assertThat(c.unwrap(io.anymq.inmemory.InMemoryBroker.class).topicNames()).as("topics left on the broker")
                    .noneMatch(t -> t.startsWith("anymq-verify-del-"));
        }
        MainTest.Run kept = run("verify", broker, "--only", "topicsAreIsolated", "--prefix", "anymq-verify-keep-", "--keep",
                "--report", dir.resolve("k.md").toString());
        assertThat(kept.out()).contains("0 topics deleted with their groups").contains("(--keep)");
        try (io.anymq.MessagingClient c = io.anymq.Messaging.connect(broker)) {
            assertThat(c.unwrap(io.anymq.inmemory.InMemoryBroker.class).topicNames()).anyMatch(t -> t.startsWith("anymq-verify-keep-"));
        }
    }

    @Test
    void stressRunsTheVolumeScenariosAndPrintsTheirCounts() throws Exception {
        Path report = dir.resolve("stress.json");
        MainTest.Run r = run("verify", broker(), "--stress", "--only", "stress*", "--scale", "5", "--report", report.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("mem: 6 scenarios passed, 0 failed")
                .containsPattern("stressFiftyProducersToFiftyMembersLoseNothing +1000 +1000 +1000 +0 +0")
                .containsPattern("stressMembersJoiningAndLeavingUnderLoadLoseNothing +1000 +1000 +1000 +0 +\\d+")
                .containsPattern("stressMembersJoiningAndLeavingUnderLoadKeepPerKeyOrder +400 +400 +400 +0 +\\d+")
                .containsPattern("stressThreeMembersNackThreeHundredTimesAndAFreshMemberGetsAll +20 +20 +20 +0 +\\d+")
                .containsPattern("stressConcurrentHandlersThatFailOftenStillHandleEverything +2000 +2000 +2000 +0 +\\d+")
                .containsPattern("stressConsumeProcessProduceOverTenThousandInputsWritesEachExactlyOnce +2000 +2000 +2000 +0 +0");
        assertThat(Files.readString(report)).contains("\"counts\":[{\"scenario\":\"stress");
        MainTest.Run without = run("verify", broker(), "--only", "stress*", "--report", dir.resolve("n.md").toString());
        assertThat(without.exit()).isZero();
        assertThat(without.out()).contains("0 scenarios passed, 0 failed, 6 not run");
    }

    @Test
    void copiesRunAtOnceWithNamesOfTheirOwnAndAreReportedEachApart() throws Exception {
        Path report = dir.resolve("copies.json");
        String broker = broker();
        MainTest.Run r = run("verify", broker, "--copies", "3", "--only", "roundTrip*,perKeyOrder*,competing*", "--prefix", "anymq-verify-copies-",
                "--report", report.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        for (int c = 1; c <= 3; c++) {
            assertThat(r.out()).contains("== copy " + c + " of 3 (names start with anymq-verify-copies-c" + c + "-) ==");
            assertThat(r.err()).contains("copy " + c + " [1/");
        }
        assertThat(r.out()).contains("every copy PASSED").containsPattern("(?s)(mem: 4 scenarios passed, 0 failed.*){3}");
        String json = Files.readString(report);
        assertThat(json).startsWith("{\"copies\":[{\"provider\":\"mem\"");
        assertThat(json.split("\"passed\":true", -1)).hasSize(4);
        assertThat(run("verify", broker, "--copies", "0", "--report", dir.resolve("r.md").toString()).exit()).isEqualTo(Main.USAGE);
        MainTest.Run withFaults = run("verify", broker, "--copies", "2", "--faults", "cmd:true", "--report", dir.resolve("r.md").toString());
        assertThat(withFaults.exit()).isEqualTo(Main.USAGE);
        assertThat(withFaults.err()).contains("copies(2) with a fault hook");
    }

    @Test
    void childProcessScenariosAreLeftOutWhenAsked() throws Exception {
        Path report = dir.resolve("child.md");
        MainTest.Run r = run("verify", broker(), "--only", "aClientKilledBeforeItsCommit*", "--no-child-processes", "--report", report.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("mem: 0 scenarios passed, 0 failed, 2 not run");
        assertThat(Files.readString(report)).contains("child processes are off");
    }

    @Test
    void faultsGoThroughTheGivenProgramOnlyWhenAllowed() throws Exception {
        Path log = dir.resolve("faults.log");
        Path program = dir.resolve("faults.sh");
        Files.writeString(program, "#!/bin/sh\necho \"$@\" >> '" + log + "'\n");
        program.toFile().setExecutable(true);
        MainTest.Run r = run("verify", broker(), "--faults", "cmd:" + program, "--absence-wait", "200ms", "--scale", "5",
                "--only", "clientsWorkAgainAfterABrokerRestart,connectionsCut*,brokerKilled*", "--report", dir.resolve("f.md").toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        // mem: declares no PERSISTENCE: the kill scenarios (a stream, commits) do not run; the restart and the cut go through the program
        assertThat(r.out()).contains("mem: 2 scenarios passed, 0 failed, 2 not run");
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("restart", "cut 1");
        assertThat(Files.readString(dir.resolve("f.md"))).contains("| connectionsCutDuringAStreamAreRecoveredAndLoseNothingConfirmed | 1000 | 1000 | 1000 | 0 |");

        Path failing = dir.resolve("fails.sh");
        Files.writeString(failing, "#!/bin/sh\nexit 3\n");
        failing.toFile().setExecutable(true);
        MainTest.Run broken = run("verify", broker(), "--faults", "cmd:" + failing, "--only", "clientsWorkAgainAfterABrokerRestart",
                "--report", dir.resolve("b.md").toString());
        assertThat(broken.exit()).isEqualTo(Main.FAILED);
        assertThat(broken.out()).contains("FAILED clientsWorkAgainAfterABrokerRestart").contains("exited with 3");

        Files.delete(log);
        MainTest.Run none = run("verify", broker(), "--only", "clientsWorkAgainAfterABrokerRestart", "--report", dir.resolve("g.md").toString());
        assertThat(none.out()).contains("0 scenarios passed, 0 failed, 1 not run");
        assertThat(log).doesNotExist();
        assertThat(run("verify", broker(), "--fault-kinds", "kill", "--report", dir.resolve("h.md").toString()).exit()).isEqualTo(Main.USAGE);
        assertThat(run("verify", broker(), "--faults", "cmd:" + program, "--fault-kinds", "explode", "--report", dir.resolve("h.md").toString()).exit())
                .isEqualTo(Main.USAGE);
    }

    /**
     * {@code --faults proxy:redis}: a real Redis of {@code mq broker start} behind the TcpProxy that verify starts; the
     * scenarios connect through it, the cut goes to the proxy (the client notices), and nothing confirmed is lost.
     * (Restart and kill go to the broker as with {@code --faults redis}: the same code.)
     */
    @Test
    void aProxiedBrokerHasItsConnectionsCut(@TempDir Path home) throws Exception {
        System.setProperty("mq.broker.home", home.toString());
        try {
            MainTest.Run started = run("broker", "start", "redis");
            assertThat(started.exit()).as(started.err()).isZero();
            String[] lines = started.out().strip().split("\n");
            String url = lines[lines.length - 1];
            String port = url.substring(url.lastIndexOf(':') + 1);
            Path report = dir.resolve("p.md");
            MainTest.Run r = run("verify", url + "?mode=stream", "--faults", "proxy:redis", "--absence-wait", "500ms", "--scale", "10",
                    "--receive-timeout", "10s", "--only", "connectionsCut*", "--report", report.toString());
            assertThat(r.exit()).as(r.err() + r.out()).isZero();
            assertThat(r.err()).as("the scenarios connect to the proxy, not to the broker's port").containsPattern("verifying redis://127\\.0\\.0\\.1:\\d+")
                    .doesNotContain("verifying " + url + "?mode=stream");
            assertThat(r.out()).contains("redis: 1 scenarios passed, 0 failed");
            // sends under way during the cut may fail (not confirmed): the count says 0 lost, whatever was confirmed
            assertThat(Files.readString(report)).containsPattern("\\| connectionsCutDuringAStreamAreRecoveredAndLoseNothingConfirmed \\| 500 \\| [1-9]\\d* \\| \\d+ \\| 0 \\|")
                    .as("the cut reached the client").contains("health left CONNECTED");

            assertThat(run("verify", url, "--faults", "redis", "--fault-kinds", "cut", "--report", dir.resolve("c.md").toString()).err())
                    .contains("--faults proxy:redis");
            MainTest.Run kafka = run("verify", "kafka://127.0.0.1:" + port, "--faults", "proxy:kafka", "--report", dir.resolve("k.md").toString());
            assertThat(kafka.exit()).isEqualTo(Main.USAGE);
            assertThat(kafka.err()).contains("tells its clients other addresses");
        } finally {
            run("broker", "stop", "--delete", "redis");
            System.clearProperty("mq.broker.home");
        }
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
