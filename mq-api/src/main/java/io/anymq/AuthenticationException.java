package io.anymq;

/** The broker refused the credentials or the permissions. Not retryable: the same credentials fail again. */
public class AuthenticationException extends ConnectionException {
    /**
     * An authentication or authorization failure.
     *
     * @param message what was refused, without secrets
     * @param cause   the client library's error
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
