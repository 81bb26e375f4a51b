package io.anymq.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The mq command run in-process on named mem: brokers, so that send and receive share one. */
class MainTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code mq send ARGS...} with this standard input. */
    static Run send(byte[] stdin, String... args) {
        SendCommand send = new SendCommand();
        send.stdin = new java.io.ByteArrayInputStream(stdin);
        picocli.CommandLine cl = new picocli.CommandLine(new Main());
        cl.addSubcommand("send-stdin", new picocli.CommandLine(send));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main.configure(cl, new PrintWriter(out, true), new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "send-stdin";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String broker() {
        return "mem:cli-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void providersListsMem() {
        Run r = run("providers");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("mem (mem:)").contains("nack_redelivery").contains("8 MiB");
    }

    @Test
    @SuppressWarnings("unchecked")
    void providersAsJsonIsOneObjectPerProvider() {
        Run r = run("providers", "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.List<java.util.Map<String, Object>> providers = java.util.Arrays.stream(r.out().strip().split("\n"))
                .map(Json::parseObject).toList();
        assertThat(providers).extracting(p -> p.get("name")).contains("mem", "kafka", "redis");
        java.util.Map<String, Object> mem = providers.stream().filter(p -> p.get("name").equals("mem")).findFirst().orElseThrow();
        assertThat(mem).containsEntry("schemes", java.util.List.of("mem"));
        java.util.Map<String, Object> mode = ((java.util.List<java.util.Map<String, Object>>) mem.get("modes")).get(0);
        assertThat(mode).containsEntry("name", "default").containsEntry("exampleUrl", "mem:").containsEntry("guarantee", "AT_LEAST_ONCE")
                .containsEntry("maxPayloadBytes", java.math.BigDecimal.valueOf(8L << 20)).containsEntry("minimumAckTimeout", "PT0S").containsEntry("maximumNackDelay", "PT576H");
        assertThat((java.util.List<Object>) mode.get("capabilities")).contains("DELAYED_DELIVERY", "KEY_ORDERING").doesNotContain("PERSISTENCE");
        assertThat(r.out()).doesNotContain("provider(s)");
    }

    @Test
    void receiveOnAMemTopicNeverSentToInThisProcessSaysWhyNothingCanCome() {
        String url = broker();
        Run empty = run("receive", url, "orders", "-g", "g", "--timeout", "100ms");
        assertThat(empty.exit()).isZero();
        assertThat(empty.err()).contains("mq: warning: " + url + " is a broker inside this mq process and nothing was sent to 'orders' in it")
                .contains("use a real broker");
        run("send", url, "orders", "x");
        Run sentHere = run("receive", url, "orders", "-g", "g2", "--from", "earliest", "--timeout", "100ms");
        assertThat(sentHere.out()).contains("x");
        assertThat(sentHere.err()).doesNotContain("warning");
    }

    @Test
    void verboseShowsTheLibrariesLogsAndOtherwiseTheyAreOff() throws Exception {
        String[] bridge = {"bridge", "mem:a", "in", "mem:b", "out", "-g", "g", "--until-empty", "--idle", "100ms"};
        Process quiet = mq(bridge);
        Process verbose = mq(java.util.stream.Stream.concat(java.util.Arrays.stream(bridge), java.util.stream.Stream.of("--verbose"))
                .toArray(String[]::new));
        String quietErr = new String(quiet.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String verboseErr = new String(verbose.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(quiet.waitFor()).as(quietErr).isZero();
        assertThat(verbose.waitFor()).as(verboseErr).isZero();
        // mq-bridge logs this through SLF4J at INFO
        assertThat(verboseErr).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO io\\.anymq\\.bridge\\.Bridge: bridge: nothing came for");
        assertThat(quietErr).doesNotContain("nothing came for").doesNotContain("INFO");
    }

    /** {@code mq ARGS...} in its own JVM, as the mq script runs it (this test's class path: slf4j-jdk14 is the binding). */
    private static Process mq(String... args) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void sendThenReceiveAsJsonRoundTrips() {
        String url = broker();
        Run sent = run("send", url, "orders", "--key", "k1", "-H", "trace=abc", "-H", "lang=grüß", "first", "sec\"ond");
        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("sent 2 message(s) to 'orders'");
        Run got = run("receive", url, "orders", "--group", "g", "--from", "earliest", "--format", "json", "--timeout", "300ms");
        assertThat(got.exit()).as(got.err()).isZero();
        String[] lines = got.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("{\"id\":\"").contains("\"key\":\"k1\"")
                .contains("\"headers\":{\"trace\":\"abc\",\"lang\":\"grüß\"}")
                .contains("\"payload\":\"first\",\"payloadEncoding\":\"utf-8\"")
                .contains("\"timestamp\":\"20").contains("\"deliveryCount\":1");
        assertThat(lines[1]).contains("\"payload\":\"sec\\\"ond\"");
        assertThat(got.err()).contains("received and acked 2 message(s)");
        Run again = run("receive", url, "orders", "--group", "g", "--from", "earliest", "--timeout", "200ms");
        assertThat(again.out()).as("acked messages do not come back").isEmpty();
    }

    @Test
    void stdinSendsOneMessagePerLineAndBinaryPrintsAsBase64() throws Exception {
        String url = broker();
        Run sent = send("a\nb\nc\n".getBytes(), url, "lines");
        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("sent 3 message(s)");
        Run got = run("receive", url, "lines", "-g", "g", "--from", "earliest", "--count", "3");
        assertThat(got.out().strip().split("\n")).containsExactly("a", "b", "c");

        try (var client = io.anymq.Messaging.connect(url); var p = client.producer("bin")) {
            p.send(io.anymq.Message.of(new byte[]{(byte) 0xff, 0, 1})).join();
        }
        Run bin = run("receive", url, "bin", "-g", "g", "--from", "earliest", "--format", "json", "--count", "1");
        assertThat(bin.out()).contains("\"payload\":\"/wAB\",\"payloadEncoding\":\"base64\"");
    }

    @Test
    void badInputIsOneLineAndANonZeroExit() {
        Run unknown = run("send", "kafak://h:9092", "t", "x");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("mq: ").contains("kafak").contains("available schemes: ").contains(" mem,").doesNotContain("\n");
        Run malformed = run("send", "kafka://h:port", "t", "x");
        assertThat(malformed.exit()).isEqualTo(1);
        assertThat(malformed.err().strip()).contains("illegal port").doesNotContain("\tat ");
        Run name = run("send", broker(), "bad/topic", "x");
        assertThat(name.exit()).isEqualTo(1);
        assertThat(name.err().strip()).contains("topic name 'bad/topic'");
        Run usage = run("receive", broker(), "t");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--group");
        Run header = run("send", broker(), "t", "-H", "novalue", "x");
        assertThat(header.exit()).isEqualTo(2);
        Run verbose = run("send", "kafak://h:9092", "t", "x", "--verbose");
        assertThat(verbose.err()).contains("UnknownSchemeException").contains("\tat ");
    }

    @Test
    void anUnreachableBrokerIsAOneLineError() {
        Run r = run("send", "mem:x?capacity=0", "t", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("mq: ").contains("capacity").doesNotContain("\n");
    }

    @Test
    void demoOnMemPrintsTheSummary() {
        Run r = run("demo", "--url", broker(), "--messages", "5000", "--producers", "2", "--consumers", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("messages sent      5,000").contains("5,000 distinct").contains("lost               0")
                .contains("p50").contains("p99").contains("redeliveries       50");
    }

    @Test
    void jsonStringsAreEscaped() {
        assertThat(Json.string("a\"b\\c\n\t\u0001\u2028é")).isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001\\u2028é\"");
        assertThat(Json.string(null)).isEqualTo("null");
    }
}
