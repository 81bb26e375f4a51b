package io.anymq.redis;

import io.anymq.ConnectionException;
import io.lettuce.core.RedisCommandExecutionException;

/** A failed write as the SDK's typed error, saying whether the message may have been stored. */
final class RedisErrors {
    private RedisErrors() {
    }

    /**
     * The server answered with an error (the command ran and refused): the message was not stored.
     * Anything else (a connection lost or closed with the command written or queued) leaves it in
     * doubt, and the error says so.
     */
    static ConnectionException sendFailure(String topic, Throwable e) {
        if (e instanceof RedisCommandExecutionException) {
            return new ConnectionException("Redis refused the message to '" + topic + "': " + e.getMessage(), e);
        }
        return new ConnectionException("Redis lost the connection before it confirmed the message to '" + topic + "' ("
                + e.getMessage() + "): it may or may not have been stored", e);
    }
}
