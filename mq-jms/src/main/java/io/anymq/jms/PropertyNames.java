package io.anymq.jms;

import java.util.Locale;
import java.util.Set;

/**
 * How a header name becomes a JMS property name and back. JMS property names are Java identifiers
 * that do not start with {@code JMS} and are not one of the selector words ({@code NULL},
 * {@code TRUE}, {@code AND}, ...); anymq header names are any non-empty Unicode text. The rule:
 * <ul>
 *   <li>A name made only of ASCII letters, digits and {@code _}, starting with a letter, that is not a
 *       selector word and not {@link #isReserved reserved} (the driver's own {@code anymq_*}, the
 *       brokers' {@code JMS*}, {@code AMQ_*}, {@code scheduledJobId}) is used as it is:
 *       {@code traceId} stays {@code traceId}.</li>
 *   <li>Otherwise every character that breaks the rule (any character but an ASCII letter, digit or
 *       {@code _}; a first character that is not a letter; the first character of a name that
 *       would be a selector word or reserved) is written as
 *       {@code $} and its UTF-16 code unit in four upper-case hex digits: {@code content-type}
 *       becomes {@code content$002Dtype}, {@code 1st} becomes {@code $0031st}, {@code NOT} becomes
 *       {@code $004EOT}.</li>
 * </ul>
 * Decoding turns every {@code $XXXX} back into its character. A property written by another
 * program whose name holds a {@code $} not followed by four hex digits is taken as it is.
 */
final class PropertyNames {
    /** The prefix of the driver's own properties (id, timestamp, key, delivery count). */
    static final String OWN_PREFIX = "anymq_";
    private static final Set<String> SELECTOR_WORDS = Set.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN",
            "IS", "ESCAPE");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PropertyNames() {
    }

    /** The JMS property name for a header name. */
    static String encode(String header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a header name may not be empty");
        }
        boolean escapeFirst = !isAsciiLetter(header.charAt(0)) || SELECTOR_WORDS.contains(header.toUpperCase(Locale.ROOT))
                || isReserved(header);
        if (!escapeFirst && isPlain(header)) {
            return header;
        }
        StringBuilder b = new StringBuilder(header.length() + 16);
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if ((i == 0 && escapeFirst) || !isPlainChar(c)) {
                b.append('$').append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The header name for a JMS property name (see the class comment). */
    static String decode(String property) {
        int i = property.indexOf('$');
        if (i < 0) {
            return property;
        }
        StringBuilder b = new StringBuilder(property.length());
        b.append(property, 0, i);
        while (i < property.length()) {
            char c = property.charAt(i);
            if (c == '$' && isHex(property, i + 1)) {
                b.append((char) Integer.parseInt(property.substring(i + 1, i + 5), 16));
                i += 5;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /**
     * Whether a property is the driver's own ({@code anymq_*}) or a broker's: {@code JMS*} (the JMS
     * provider's), {@code _*} (Artemis' {@code _AMQ_*}, HornetQ's {@code _HQ_*}), {@code AMQ_*} and
     * {@code scheduledJobId} (ActiveMQ Classic's scheduler). A header never encodes to one of these.
     */
    static boolean isReserved(String property) {
        return property.startsWith(OWN_PREFIX) || property.startsWith("JMS") || property.startsWith("_") || property.startsWith("AMQ_")
                || property.equals("scheduledJobId");
    }

    private static boolean isHex(String s, int from) {
        if (from + 4 > s.length()) {
            return false;
        }
        for (int k = from; k < from + 4; k++) {
            if (Character.digit(s.charAt(k), 16) < 0 || Character.isLowerCase(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isPlainChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
