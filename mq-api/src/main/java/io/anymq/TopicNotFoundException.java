package io.anymq;

/** The topic does not exist and the backend was told not to create it. */
public class TopicNotFoundException extends ConfigurationException {
    /**
     * A missing topic.
     *
     * @param message the topic, and how to have it created
     */
    public TopicNotFoundException(String message) {
        super(message);
    }
}
