package io.anymq;

/**
 * A message's key or header value was asked for as text, but it holds bytes that are not UTF-8 text
 * (or a header without a value). Nothing is decoded with replacement characters: read such data with
 * {@link Message#keyBytes()}, {@link Message#headerBytes(String)} or {@link Message#headersAsBytes()}.
 * Not retryable: the message stays as it is.
 */
public class BinaryDataException extends MessagingException {
    /**
     * Data that is not text.
     *
     * @param message what is not text and how to read it
     */
    public BinaryDataException(String message) {
        super(message, false);
    }

    static BinaryDataException key(byte[] key) {
        return new BinaryDataException("the message key is " + key.length + " bytes that are not UTF-8 text (" + hex(key)
                + "); read it with Message.keyBytes()");
    }

    static BinaryDataException header(String name, byte[] value) {
        if (value == null) {
            return new BinaryDataException("header '" + name + "' has no value (null, as Kafka allows); read it with Message.headerBytes(name) or headersAsBytes()");
        }
        return new BinaryDataException("header '" + name + "' is " + value.length + " bytes that are not UTF-8 text; read it with Message.headerBytes(name) or headersAsBytes()");
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(b.length, 8);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xff));
        }
        return s.append(b.length > n ? " ..." : "").toString();
    }
}
