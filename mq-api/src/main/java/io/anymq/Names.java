package io.anymq;

import java.util.regex.Pattern;

/**
 * The portable rule for topic and group names, the same on every backend: 1 to 100 characters of
 * ASCII letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or a digit.
 * Each backend maps such names onto its own rules (documented in its README). Names that start
 * with another character are left to the SDK itself.
 */
public final class Names {
    /** The longest portable name. */
    public static final int MAX_LENGTH = 100;
    private static final Pattern PORTABLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Names() {
    }

    /** Whether the name follows the portable rule. */
    public static boolean isValid(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_LENGTH && PORTABLE.matcher(name).matches();
    }

    /** Returns the topic name, or throws {@link InvalidNameException} saying what is wrong with it. */
    public static String checkTopic(String name) {
        return check("topic", name);
    }

    /** Returns the group name, or throws {@link InvalidNameException} saying what is wrong with it. */
    public static String checkGroup(String name) {
        return check("group", name);
    }

    private static String check(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException(kind + " name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidNameException(kind + " name '" + name.substring(0, 20) + "...' has " + name.length()
                    + " characters; the maximum is " + MAX_LENGTH);
        }
        char first = name.charAt(0);
        if (!isAsciiLetterOrDigit(first)) {
            throw new InvalidNameException(kind + " name '" + printable(name) + "' must start with an ASCII letter or digit");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                throw new InvalidNameException(kind + " name '" + printable(name) + "' has an illegal character "
                        + describe(c) + " at index " + i + "; allowed are ASCII letters, digits, '.', '_' and '-'");
            }
        }
        return name;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
