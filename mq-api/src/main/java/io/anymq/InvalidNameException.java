package io.anymq;

/** A topic or group name that breaks the portable naming rule (see {@link Names}). */
public class InvalidNameException extends ConfigurationException {
    /**
     * A name that is not portable.
     *
     * @param message the name and its first illegal character
     */
    public InvalidNameException(String message) {
        super(message);
    }
}
