package io.anymq;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages, logs and {@code toString()}: option values whose names look
 * secret, and the password of a URL.
 */
public final class Redaction {
    /** What a hidden value is shown as. */
    public static final String MASK = "****";

    private static final String[] SECRET_WORDS = {"password", "passwd", "pwd", "secret", "token", "credential",
            "jaas", "apikey", "api-key", "api_key", "private", "nkey", "seed", "auth"};
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@?#]*):([^@/?#]*)@");
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "([?&][^=&]*(?:password|passwd|pwd|secret|token|credential|jaas|apikey|api-key|api_key|private|nkey|seed|auth)[^=&]*=)([^&]*)",
            Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    /** Whether an option of this name holds a secret. */
    public static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String w : SECRET_WORDS) {
            if (n.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** The value, or {@link #MASK} when the name looks secret. */
    public static String value(String name, String value) {
        return isSecret(name) ? MASK : value;
    }

    /** A URL string with its password and secret query values hidden; works on URLs that do not parse. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String s = URL_PASSWORD.matcher(url).replaceAll("$1:" + MASK + "@");
        return QUERY_SECRET.matcher(s).replaceAll("$1" + MASK);
    }
}
