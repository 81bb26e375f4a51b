package io.anymq;

/** A topic or group name that breaks the portable naming rule (see {@link Names}). */
public class InvalidNameException extends ConfigurationException {
    public InvalidNameException(String message) {
        super(message);
    }
}
