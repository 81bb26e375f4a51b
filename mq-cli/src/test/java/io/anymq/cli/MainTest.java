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
        SendCommand send = new SendCommand();
        send.stdin = new java.io.ByteArrayInputStream("a\nb\nc\n".getBytes());
        picocli.CommandLine cl = new picocli.CommandLine(new Main());
        // run the subcommand object with the replaced stdin
        picocli.CommandLine sub = new picocli.CommandLine(send);
        cl.addSubcommand("send-stdin", sub);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("send-stdin", url, "lines")).isZero();
        assertThat(out.toString()).contains("sent 3 message(s)");
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
