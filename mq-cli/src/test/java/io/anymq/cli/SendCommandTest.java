package io.anymq.cli;

import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.anymq.cli.SendBytesTest.received;
import static org.assertj.core.api.Assertions.assertThat;

/** mq send -K, --input jsonl, --format json and what it says when it fails part-way, on named mem: brokers. */
class SendCommandTest {

    private static String broker() {
        return "mem:send-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Map<String, Object>> jsonLines(String out) {
        return out.isBlank() ? List.of() : Arrays.stream(out.strip().split("\n")).map(Json::parseObject).toList();
    }

    @Test
    void keyDelimiterSplitsEachLineAtItsFirstDelimiter() {
        String url = broker();
        byte[] in = bytes("k1:a\nno delimiter\n:no key\n\nk2:b:c\nk3:\n");
        MainTest.Run s = MainTest.send(in, url, "keys", "-K", ":", "-H", "h=v");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).contains("sent 6 message(s)");
        List<Message> got = received(url, "keys", 6);
        assertThat(got).extracting(Message::key).containsExactly("k1", null, null, null, "k2", "k3");
        assertThat(got).extracting(Message::payloadAsString).containsExactly("a", "no delimiter", "no key", "", "b:c", "");
        assertThat(got).allSatisfy(m -> assertThat(m.header("h")).isEqualTo("v"));
    }

    @Test
    void keyDelimiterOfSeveralBytesKeepsKeyBytesAndAppliesToArgumentsToo() {
        String url = broker();
        byte[] in = {(byte) 0xff, 0, '=', '>', 'x', '\n', 'a', '=', 'b'};
        MainTest.Run s = MainTest.send(in, url, "bin", "-K", "=>");
        assertThat(s.exit()).as(s.err()).isZero();
        List<Message> got = received(url, "bin", 2);
        assertThat(got.get(0).keyBytes()).isEqualTo(new byte[] {(byte) 0xff, 0});
        assertThat(got.get(0).payloadAsString()).isEqualTo("x");
        assertThat(got.get(1).hasKey()).isFalse();
        assertThat(got.get(1).payloadAsString()).isEqualTo("a=b");

        MainTest.Run args = MainTest.run("send", url, "args", "-K", "\t", "k\tv", "plain");
        assertThat(args.exit()).as(args.err()).isZero();
        assertThat(received(url, "args", 2)).extracting(Message::key, Message::payloadAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k", "v"), org.assertj.core.groups.Tuple.tuple(null, "plain"));
    }

    @Test
    void whatReceivePrintsAsJsonSendsAgainAsTheSameMessages() {
        String from = broker();
        try (MessagingClient c = Messaging.connect(from); Producer p = c.producer("orders")) {
            p.send(Message.builder().payload("text é \"q\"\nline").key("k1").header("a", "1").header("b", "").id("id-1").build());
            p.send(Message.builder().payload(new byte[] {(byte) 0xff, 0, 7}).keyBytes(new byte[] {(byte) 0xfe})
                    .headerBytes("raw", new byte[] {(byte) 0x80}).headerBytes("none", null).build());
            p.send(Message.builder().payload(new byte[0]).build());
            p.flush();
        }
        MainTest.Run out = MainTest.run("receive", from, "orders", "-g", "g", "--from", "earliest", "--format", "json", "--count", "3");
        assertThat(out.exit()).as(out.err()).isZero();
        String to = broker();
        MainTest.Run sent = MainTest.send(bytes(out.out()), to, "copy", "--input", "jsonl");
        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("sent 3 message(s) to 'copy'");
        List<Message> original = received(from, "orders", "again", 3);
        List<Message> copy = received(to, "copy", 3);
        assertThat(copy).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Message a = original.get(i);
            Message b = copy.get(i);
            assertThat(b.payload()).isEqualTo(a.payload());
            assertThat(b.keyBytes()).isEqualTo(a.keyBytes());
            assertThat(b.headersAsBytes()).hasSameSizeAs(a.headersAsBytes());
            a.headersAsBytes().forEach((k, v) -> assertThat(b.headerBytes(k)).as(k).isEqualTo(v));
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.timestamp()).isEqualTo(a.timestamp());
        }
    }

    @Test
    void jsonLinesSkipBlankLinesAndHonourDeliverAt() {
        String url = broker();
        String later = Instant.now().plusSeconds(3600).toString();
        byte[] in = bytes("{\"payload\":\"now\",\"key\":\"k\",\"headers\":{\"h\":\"v\"}}\n\n   \n"
                + "{\"payload\":\"later\",\"deliverAt\":\"" + later + "\",\"id\":\"my-id\"}\n"
                + "{\"payload\":\"AAEC\",\"payloadEncoding\":\"base64\"}");
        MainTest.Run s = MainTest.send(in, url, "t", "--input", "jsonl", "--format", "json");
        assertThat(s.exit()).as(s.err()).isZero();
        List<Map<String, Object>> lines = jsonLines(s.out());
        assertThat(lines).extracting(m -> m.get("index")).containsExactly(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.valueOf(2));
        assertThat(lines).extracting(m -> m.get("line")).as("blank lines are skipped, not messages")
                .containsExactly(BigDecimal.ONE, BigDecimal.valueOf(4), BigDecimal.valueOf(5));
        assertThat(lines.get(1)).containsEntry("id", "my-id");
        assertThat(lines).allSatisfy(m -> assertThat(m).containsKeys("id", "position", "timestamp").doesNotContainKey("error"));
        assertThat(s.err()).contains("sent 3 message(s) to 't'; every send was confirmed");
        List<Message> got = received(url, "t", 3);
        assertThat(got).as("the delayed one is not delivered yet").extracting(Message::payload)
                .containsExactly(bytes("now"), new byte[] {0, 1, 2});
        assertThat(got.get(0).key()).isEqualTo("k");
        assertThat(got.get(0).header("h")).isEqualTo("v");
    }

    @Test
    void aBadLineStopsSendingAndTheCommandSaysHowManyWereConfirmed() {
        String url = broker();
        byte[] in = bytes("{\"payload\":\"one\"}\n{\"payload\":\"two\"}\n{\"payload\":\"three\"\n{\"payload\":\"four\"}\n");
        MainTest.Run s = MainTest.send(in, url, "t", "--input", "jsonl", "--format", "json");
        assertThat(s.exit()).isEqualTo(1);
        List<Map<String, Object>> lines = jsonLines(s.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).containsEntry("index", BigDecimal.valueOf(2)).containsEntry("line", BigDecimal.valueOf(3))
                .containsEntry("errorType", "InvalidJsonException").containsEntry("id", null);
        assertThat((String) lines.get(2).get("error")).contains("column 19", "expected ',' or '}'");
        assertThat(s.err()).contains("mq: 2 of 3 message(s) sent to 't' were confirmed, 1 failed; sending stopped at the first failure");
        assertThat(received(url, "t", 4)).extracting(Message::payloadAsString).containsExactly("one", "two");

        MainTest.Run text = MainTest.send(bytes("{\"payload\":\"x\",\"paylod\":1}\n"), broker(), "t", "--input", "jsonl");
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.err()).contains("mq: message 0 (line 1) failed: unknown field \"paylod\"; the fields are payload,")
                .contains("0 of 1 message(s)");
        assertThat(MainTest.send(bytes("{\"key\":\"k\"}"), broker(), "t", "--input", "jsonl").err()).contains("no \"payload\"");
        assertThat(MainTest.send(bytes("{\"payload\":\"x\",\"key\":\"\"}"), broker(), "t", "--input", "jsonl").err())
                .contains("message key may not be empty");
        assertThat(MainTest.send(bytes("{\"payload\":\"\\ud800\"}"), broker(), "t", "--input", "jsonl").err()).contains("lone surrogate");
        assertThat(MainTest.send(bytes("{\"payload\":\"x\",\"payloadEncoding\":\"base64\"}"), broker(), "t", "--input", "jsonl").err())
                .contains("payload is not base64");
        assertThat(MainTest.send(bytes("{\"payload\":\"x\",\"deliverAt\":\"tomorrow\"}"), broker(), "t", "--input", "jsonl").err())
                .contains("\"deliverAt\" must be an ISO-8601 instant");
        assertThat(MainTest.send(bytes("{\"payload\":\"x\",\"headers\":{\"h\":1}}"), broker(), "t", "--input", "jsonl").err())
                .contains("header \"h\" must be a string or null");
        assertThat(MainTest.send(new byte[] {'{', (byte) 0xff, '}'}, broker(), "t", "--input", "jsonl").err()).contains("not UTF-8");
    }

    @Test
    void aSendTheBrokerRefusesStopsTheRestAndExitsOne() {
        String url = "mem:send-small-" + UUID.randomUUID().toString().substring(0, 8) + "?max-payload=8";
        MainTest.Run s = MainTest.run("send", url, "t", "ok", "far too large", "after", "--format", "json");
        assertThat(s.exit()).isEqualTo(1);
        List<Map<String, Object>> lines = jsonLines(s.out());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("index", BigDecimal.ZERO).containsEntry("line", null).containsKey("position");
        assertThat(lines.get(1)).containsEntry("index", BigDecimal.ONE).containsEntry("errorType", "MessageTooLargeException");
        assertThat(s.err()).contains("1 of 2 message(s) sent to 't' were confirmed, 1 failed");
        assertThat(received(url, "t", 3)).extracting(Message::payloadAsString).as("nothing after the failure").containsExactly("ok");

        MainTest.Run text = MainTest.send(bytes("a\n123456789\nb\n"), url, "t2");
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.err()).contains("mq: message 1 (line 2) failed: ").contains("1 of 2 message(s) sent to 't2' were confirmed");
        assertThat(text.out()).doesNotContain("every send was confirmed");
    }

    @Test
    void optionsThatDoNotGoTogetherAreRefused() {
        String url = broker();
        assertUsage(MainTest.run("send", url, "t", "-k", "a", "-K", ":", "x"), "either -k");
        assertUsage(MainTest.run("send", url, "t", "--input", "jsonl", "x"), "--input jsonl reads standard input");
        assertUsage(MainTest.send(new byte[0], url, "t", "--input", "jsonl", "-H", "a=b"), "its own key and headers");
        assertUsage(MainTest.send(new byte[0], url, "t", "--raw", "--input", "jsonl"), "--raw is --input raw");
        assertUsage(MainTest.send(new byte[0], url, "t", "--raw", "-K", ":"), "-K splits lines");
        assertUsage(MainTest.send(new byte[0], url, "t", "-K", ""), "-K needs a delimiter");
        assertThat(received(url, "t", 1)).isEmpty();
    }

    private static void assertUsage(MainTest.Run r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }
}
