package io.anymq;

/** The topic does not exist and the backend was told not to create it. */
public class TopicNotFoundException extends ConfigurationException {
    public TopicNotFoundException(String message) {
        super(message);
    }
}
