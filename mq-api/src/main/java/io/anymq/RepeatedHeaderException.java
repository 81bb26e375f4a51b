package io.anymq;

/**
 * A header was asked for as one value ({@link Message#header(String)}, {@link Message#headers()}, ...),
 * but its name occurs more than once in the message (a Kafka or NATS client wrote it several times).
 * No value is picked: read them all with {@link Message#headerValues(String)},
 * {@link Message#headerValuesAsBytes(String)} or {@link Message#headerFields()}. Not retryable: the
 * message stays as it is.
 */
public class RepeatedHeaderException extends MessagingException {
    private final String name;
    private final int count;

    /**
     * A header name that occurs more than once.
     *
     * @param name  the name
     * @param count how often it occurs
     */
    public RepeatedHeaderException(String name, int count) {
        super("header '" + name + "' occurs " + count + " times in the message; read every value with Message.headerValues(name) "
                + "or headerFields()", false);
        this.name = name;
        this.count = count;
    }

    /** The header's name. */
    public String name() {
        return name;
    }

    /** How often the name occurs. */
    public int count() {
        return count;
    }
}
