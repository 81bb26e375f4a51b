package io.anymq;

/** The configuration is wrong: a bad option value, a missing setting. Never retryable. */
public class ConfigurationException extends MessagingException {
    public ConfigurationException(String message) {
        super(message, false);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
