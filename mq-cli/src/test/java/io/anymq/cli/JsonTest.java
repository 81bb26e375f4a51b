package io.anymq.cli;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written JSON reader of mq send --input jsonl: what it accepts, what it refuses and where. */
class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Map<String, Object> o = Json.parseObject(" {\"s\":\"a\\\"b\\\\c\\/\\n\\t\\r\\b\\f\\u00e9\\ud83d\\ude00\", \"n\":-12.5e2, \"z\":0,"
                + "\"t\":true,\"f\":false,\"a\":[1,[],{}],\"o\":{\"k\":\"v\"},\"e\":\"\"} ");
        assertThat(o).containsExactly(
                Map.entry("s", "a\"b\\c/\n\t\r\b\f\u00e9\uD83D\uDE00"),
                Map.entry("n", new BigDecimal("-12.5e2")),
                Map.entry("z", BigDecimal.ZERO),
                Map.entry("t", true),
                Map.entry("f", false),
                Map.entry("a", List.of(BigDecimal.ONE, List.of(), Map.of())),
                Map.entry("o", Map.of("k", "v")),
                Map.entry("e", ""));
    }

    @Test
    void nullIsANullValueOfAPresentField() {
        Map<String, Object> o = Json.parseObject("{\"n\":null}");
        assertThat(o).containsKey("n");
        assertThat(o.get("n")).isNull();
        assertThat(Json.parseObject("{}")).isEmpty();
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack() {
        String tricky = "q\" b\\ nl\n cr\r tab\t nul\u0000 esc\u001b ls\u2028 é 😀";
        assertThat(Json.parseObject("{\"x\":" + Json.string(tricky) + "}")).containsEntry("x", tricky);
        assertThat(Json.parseObject("{\"x\":" + Json.strings(List.of("a", "\"")) + "}")).containsEntry("x", List.of("a", "\""));
    }

    @Test
    void refusesWhatIsNotOneObjectAndSaysWhere() {
        assertRefused("", "column 1", "expected a JSON object");
        assertRefused("[1]", "column 1", "expected a JSON object");
        assertRefused("{\"a\":1} x", "column 9", "after the object");
        assertRefused("{\"a\":1,\"a\":2}", "column 8", "\"a\" is given twice");
        assertRefused("{\"a\":\"x", "ends inside a string");
        assertRefused("{\"a\":\"x\ty\"}", "control character (U+0009)");
        assertRefused("{\"a\":\"\\x\"}", "unknown escape '\\x'");
        assertRefused("{\"a\":\"\\u12\"}", "four hex digits");
        assertRefused("{\"a\":\"\\u00\uff11\uff11\"}", "four hex digits");
        assertRefused("{\"a\":01}", "expected ',' or '}'");
        assertRefused("{\"a\":1.}", "digit after '.'");
        assertRefused("{\"a\":-}", "a number needs a digit");
        assertRefused("{\"a\":tru}", "unexpected character 't'");
        assertRefused("{a:1}", "field name in double quotes");
        assertRefused("{\"a\" 1}", "expected ':'");
        assertRefused("{\"a\":[1 2]}", "expected ',' or ']'");
        assertRefused("{\"a\":", "ends where a value was expected");
        assertRefused("{\"a\":" + "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH) + "}", "deeper than " + Json.MAX_DEPTH);
        assertThat(Json.parseObject("{\"a\":" + "[".repeat(Json.MAX_DEPTH - 1) + "]".repeat(Json.MAX_DEPTH - 1) + "}")).containsKey("a");
    }

    private static void assertRefused(String text, String... parts) {
        assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(Json.InvalidJsonException.class).message().contains(parts);
    }
}
