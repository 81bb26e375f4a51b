package io.anymq.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few JSON pieces the command needs: escaped strings for what it writes, and a strict reader
 * of one JSON value (for {@code mq send --input jsonl}). The reader gives objects as ordered maps
 * (a JSON {@code null} is a null value), arrays as lists, strings, {@link BigDecimal} numbers and
 * booleans; it refuses a duplicate field name, anything after the value, and nesting deeper than
 * {@value #MAX_DEPTH}.
 */
final class Json {
    /** The deepest nesting of objects and arrays the reader accepts. */
    static final int MAX_DEPTH = 32;

    private Json() {
    }

    /** The string as a JSON string literal, quotes included. */
    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The strings as a JSON array of strings. */
    static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(string(values.get(i)));
        }
        return b.append(']').toString();
    }

    /**
     * The text's one JSON value, which must be an object.
     *
     * @throws InvalidJsonException the text is not one JSON object (the message says where and why)
     */
    static Map<String, Object> parseObject(String text) {
        Reader r = new Reader(text);
        r.skipSpace();
        if (r.peek() != '{') {
            throw r.error("expected a JSON object ('{')");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) r.value(0);
        r.skipSpace();
        if (r.pos < text.length()) {
            throw r.error("unexpected text after the object");
        }
        return object;
    }

    /** Text that is not the JSON expected; the message names the column (1-based) and the problem. */
    static final class InvalidJsonException extends RuntimeException {
        InvalidJsonException(String message) {
            super(message);
        }
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        InvalidJsonException error(String what) {
            return new InvalidJsonException("invalid JSON at column " + (pos + 1) + ": " + what);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return;
                }
                pos++;
            }
        }

        Object value(int depth) {
            skipSpace();
            if (pos >= s.length()) {
                throw error("the text ends where a value was expected");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> readString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object(int depth) {
            checkDepth(depth);
            pos++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a field name in double quotes");
                }
                int at = pos;
                String name = readString();
                if (m.containsKey(name)) {
                    pos = at;
                    throw error("the field " + Json.string(name) + " is given twice");
                }
                skipSpace();
                if (peek() != ':') {
                    throw error("expected ':' after the field name");
                }
                pos++;
                m.put(name, value(depth));
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}' in the object");
                }
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++; // [
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                list.add(value(depth));
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']' in the array");
                }
            }
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH + " levels");
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected character '" + s.charAt(pos) + "'");
            }
            pos += word.length();
            return value;
        }

        private BigDecimal number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (peek() >= '1' && peek() <= '9') {
                digits();
            } else {
                throw error("a number needs a digit");
            }
            if (peek() == '.') {
                pos++;
                if (!(peek() >= '0' && peek() <= '9')) {
                    throw error("a number needs a digit after '.'");
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!(peek() >= '0' && peek() <= '9')) {
                    throw error("a number needs a digit in its exponent");
                }
                digits();
            }
            return new BigDecimal(s.substring(start, pos));
        }

        /** The value of an ASCII hex digit, else -1 (Character.digit would take other scripts' digits too). */
        private static int hex(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }

        private void digits() {
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
        }

        private String readString() {
            pos++; // "
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("the text ends inside a string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("a control character (U+" + String.format("%04X", (int) c) + ") in a string must be escaped");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("the text ends inside a string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("\\u needs four hex digits");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = hex(s.charAt(pos + i));
                            if (d < 0) {
                                throw error("\\u needs four hex digits");
                            }
                            code = code * 16 + d;
                        }
                        pos += 4;
                        b.append((char) code);
                    }
                    default -> {
                        pos -= 2;
                        throw error("unknown escape '\\" + e + "'");
                    }
                }
            }
        }
    }
}
