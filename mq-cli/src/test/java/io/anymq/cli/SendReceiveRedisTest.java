package io.anymq.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mq send -K and --input jsonl against a real broker (a Redis that mq broker starts, installed by
 * scripts/install-brokers.sh), each command with its own client as separate mq runs have: keys and
 * payloads by line, then what receive --format json printed sent again as JSON lines arrives the same.
 */
class SendReceiveRedisTest {

    @Test
    void keyPerLineAndJsonLinesRoundTrip(@TempDir Path home) {
        System.setProperty("mq.broker.home", home.toString());
        try {
            MainTest.Run started = MainTest.run("broker", "start", "redis");
            assertThat(started.exit()).as(started.err()).isZero();
            String[] out = started.out().strip().split("\n");
            String url = out[out.length - 1];
            assertThat(url).startsWith("redis://127.0.0.1:");

            MainTest.Run sent = MainTest.send("k1:one\nk2:two:2\n\nno key\n".getBytes(StandardCharsets.UTF_8), url, "orders", "-K", ":",
                    "-H", "src=cli", "--format", "json");
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.out().strip().split("\n")).hasSize(4).allSatisfy(l -> assertThat(Json.parseObject(l)).containsKeys("id", "position"));

            MainTest.Run got = MainTest.run("receive", url, "orders", "-g", "g", "--from", "earliest", "--format", "json", "--count", "4");
            assertThat(got.exit()).as(got.err()).isZero();
            List<Map<String, Object>> first = lines(got.out());
            assertThat(first).extracting(m -> m.get("key")).containsExactly("k1", "k2", null, null);
            assertThat(first).extracting(m -> m.get("payload")).containsExactly("one", "two:2", "", "no key");
            assertThat(first).allSatisfy(m -> assertThat(m.get("headers")).isEqualTo(Map.of("src", "cli")));

            MainTest.Run copied = MainTest.send(got.out().getBytes(StandardCharsets.UTF_8), url, "copy", "--input", "jsonl");
            assertThat(copied.exit()).as(copied.err()).isZero();
            assertThat(copied.out()).contains("sent 4 message(s) to 'copy'; every send was confirmed");
            MainTest.Run again = MainTest.run("receive", url, "copy", "-g", "g", "--from", "earliest", "--format", "json", "--count", "4");
            assertThat(again.exit()).as(again.err()).isZero();
            List<Map<String, Object>> second = lines(again.out());
            for (int i = 0; i < 4; i++) {
                Map<String, Object> a = first.get(i);
                Map<String, Object> b = second.get(i);
                for (String field : List.of("id", "key", "headers", "payload", "payloadEncoding", "timestamp")) {
                    assertThat(b.get(field)).as(i + " " + field).isEqualTo(a.get(field));
                }
            }
        } finally {
            MainTest.run("broker", "stop", "--delete", "redis");
            System.clearProperty("mq.broker.home");
        }
    }

    private static List<Map<String, Object>> lines(String out) {
        return Arrays.stream(out.strip().split("\n")).map(Json::parseObject).toList();
    }
}
