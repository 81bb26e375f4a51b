package io.anymq;

/** The broker refused the credentials or the permissions. Not retryable: the same credentials fail again. */
public class AuthenticationException extends ConnectionException {
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
