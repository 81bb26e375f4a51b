package io.anymq;

/** A connection URL that cannot be parsed. The message names the problem; secrets are redacted. */
public class MalformedUrlException extends ConfigurationException {
    public MalformedUrlException(String message) {
        super(message);
    }
}
