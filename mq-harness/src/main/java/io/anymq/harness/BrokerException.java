package io.anymq.harness;

/** A broker could not be provided, started or stopped; the message says why (with the log's tail). */
public class BrokerException extends RuntimeException {
    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
