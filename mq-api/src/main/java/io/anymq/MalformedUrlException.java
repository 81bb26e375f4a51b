package io.anymq;

/** A connection URL that cannot be parsed. The message names the problem; secrets are redacted. */
public class MalformedUrlException extends ConfigurationException {
    /**
     * A URL that does not parse.
     *
     * @param message what is wrong with it, secrets redacted
     */
    public MalformedUrlException(String message) {
        super(message);
    }
}
