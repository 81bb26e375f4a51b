package io.anymq.rabbitmq;

import com.rabbitmq.client.LongString;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The header value a message gets for an AMQP field value another program wrote, for every AMQP
 * 0-9-1 field type RabbitMQ carries, so that nothing is left out:
 *
 * <ul>
 * <li>long string, byte array: its bytes as they are (text when they are UTF-8);</li>
 * <li>integers of every width, float, double: their decimal text ({@code 42}, {@code -7}, {@code 1.5});
 *     decimal: its plain decimal text ({@code 12.50}, never an exponent);</li>
 * <li>boolean: {@code true} or {@code false};</li>
 * <li>timestamp (whole seconds): ISO-8601 UTC text ({@code 2026-11-30T08:00:00Z});</li>
 * <li>void: a header without a value (null);</li>
 * <li>table and array: JSON text, an object with the table's fields (in the order amqp-client gives
 *     them: it reads a table into a hash map, so not the sent order) or an array in order, whose values
 *     follow the same rules (numbers and booleans as JSON numbers and literals, void as {@code null},
 *     timestamps as ISO-8601 strings, long strings as strings) except that a byte array, and a long
 *     string that is not UTF-8, inside them is a JSON string of its base64.</li>
 * </ul>
 */
final class AmqpFieldValues {
    private AmqpFieldValues() {
    }

    /** The header value's bytes for a received field value; null for void. */
    static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LongString ls) {
            return ls.getBytes();
        }
        if (value instanceof byte[] b) {
            return b;
        }
        return text(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The text of a field value that is neither bytes nor void. */
    private static String text(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Date t) {
            return t.toInstant().toString();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            StringBuilder json = new StringBuilder();
            json(value, json);
            return json.toString();
        }
        return String.valueOf(value); // String, numbers, Boolean, Character
    }

    private static void json(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> table) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : table.entrySet()) {
                out.append(first ? "" : ",");
                string(String.valueOf(e.getKey()), out);
                out.append(':');
                json(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof List<?> array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                out.append(i == 0 ? "" : ",");
                json(array.get(i), out);
            }
            out.append(']');
        } else if (value instanceof LongString || value instanceof byte[]) {
            byte[] b = value instanceof LongString ls ? ls.getBytes() : (byte[]) value;
            String text = utf8(b);
            string(text != null && value instanceof LongString ? text : Base64.getEncoder().encodeToString(b), out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number n && !(value instanceof Double d && !Double.isFinite(d))
                && !(value instanceof Float f && !Float.isFinite(f))) {
            out.append(n instanceof BigDecimal d ? d.toPlainString() : n.toString());
        } else {
            string(text(value), out); // strings, characters, timestamps, NaN and infinities
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
