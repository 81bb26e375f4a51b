package io.anymq;

/** The configuration is wrong: a bad option value, a missing setting. Never retryable. */
public class ConfigurationException extends MessagingException {
    /**
     * A configuration error.
     *
     * @param message the option or setting, and what is wrong with it (secrets redacted)
     */
    public ConfigurationException(String message) {
        super(message, false);
    }

    /**
     * A configuration error with a cause.
     *
     * @param message the option or setting, and what is wrong with it (secrets redacted)
     * @param cause   the underlying error
     */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
