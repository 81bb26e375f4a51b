package io.anymq.memcached;

import io.anymq.ConnectionException;

/**
 * The client has no connection to the server a key lives on at the moment (it reconnects by itself):
 * the command was not sent, so it can be sent again.
 */
final class ServerUnavailableException extends ConnectionException {
    ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
