package io.anymq.jms;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingException;
import io.anymq.MessagingInterruptedException;
import io.anymq.MessagingTimeoutException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

/** JMS failures as anymq's typed errors. Messages name the broker and the operation, never a password. */
final class JmsErrors {
    private JmsErrors() {
    }

    static MessagingException translate(String broker, String what, Throwable e) {
        if (e instanceof MessagingException me) {
            return me;
        }
        if (find(e, JMSSecurityException.class) != null || find(e, SecurityException.class) != null) {
            return new AuthenticationException(broker + " refused to " + what + ": " + describe(e), e);
        }
        if (find(e, javax.net.ssl.SSLHandshakeException.class) != null) {
            return new AuthenticationException("cannot " + what + ": the TLS handshake with " + broker + " failed (" + describe(e) + ")", e);
        }
        InterruptedException interrupted = find(e, InterruptedException.class);
        if (interrupted != null) {
            return new MessagingInterruptedException("interrupted while trying to " + what + " on " + broker
                    + ": it may or may not have been carried out (" + describe(e) + ")", interrupted);
        }
        if (find(e, InvalidDestinationException.class) != null) {
            return new MessagingException("cannot " + what + ": " + broker + " says " + describe(e), e, false);
        }
        if (find(e, java.util.concurrent.TimeoutException.class) != null || find(e, java.net.SocketTimeoutException.class) != null
                || describe(e).toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
            return new MessagingTimeoutException("cannot " + what + ": " + broker + " did not answer in time (" + describe(e) + ")", e);
        }
        if (e instanceof IllegalStateException && describe(e).toLowerCase(java.util.Locale.ROOT).contains("closed")) {
            return new ConnectionException("cannot " + what + ": the connection to " + broker + " is closed (" + describe(e) + ")", e);
        }
        return new ConnectionException("cannot " + what + " (" + broker + "): " + describe(e), e);
    }

    /** The first message in the cause chain, with its type. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t instanceof JMSException je && je.getLinkedException() != null && je.getLinkedException() != t) {
                t = je.getLinkedException();
            } else {
                t = t.getCause();
            }
        }
        return e.getClass().getSimpleName();
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof JMSException je) {
                next = je.getLinkedException();
            }
            t = next == t ? null : next;
        }
        return null;
    }

    /**
     * The result of a JMS call a thread of the driver's own made, waited for however often the caller is interrupted
     * meanwhile (its flag is set again after); the call's failure as it was thrown.
     */
    static <T> T awaitCall(java.util.concurrent.Future<T> call) throws JMSException {
        return io.anymq.spi.Uninterruptibly.get(call, JMSException.class);
    }
}
