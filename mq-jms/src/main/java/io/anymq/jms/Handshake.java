package io.anymq.jms;

import io.anymq.ConnectionException;
import io.anymq.MessagingInterruptedException;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first connect, bounded in time. A host that accepts TCP but never speaks the broker's
 * protocol would keep a JMS client waiting (ActiveMQ's failover transport retries it for ever once
 * TCP worked): the connection is made and started on a thread of its own, and given up, closed,
 * after {@code connect-timeout} plus {@link #HANDSHAKE_MS}.
 */
final class Handshake {
    static final long HANDSHAKE_MS = 5_000;

    private Handshake() {
    }

    static Connection open(ConnectionFactory factory, JmsSettings settings, String where) {
        AtomicReference<Connection> made = new AtomicReference<>();
        String as = settings.user() == null ? "" : " as user '" + settings.user() + "'";
        CompletableFuture<Connection> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                Connection c = settings.user() == null ? factory.createConnection() : factory.createConnection(settings.user(), settings.password());
                made.set(c);
                c.start();
                return c;
            } catch (JMSException e) {
                throw JmsErrors.translate(where, "connect" + as, e);
            }
        }, r -> {
            Thread t = new Thread(r, "anymq-jms-connect");
            t.setDaemon(true);
            t.start();
        });
        try {
            return attempt.get(settings.connectTimeout().toMillis() + HANDSHAKE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Connection stuck = made.get();
            Thread closer = new Thread(() -> closeQuietly(stuck), "anymq-jms-connect-close"); // closing may wait on the stuck transport too
            closer.setDaemon(true);
            closer.start();
            throw new ConnectionException("cannot connect to " + where + ": no answer in the broker's protocol within "
                    + (settings.connectTimeout().toMillis() + HANDSHAKE_MS) + " ms (is it a " + where.split(" at ")[0] + "?)", e);
        } catch (ExecutionException e) {
            closeQuietly(made.get());
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : JmsErrors.translate(where, "connect" + as, cause);
        } catch (InterruptedException e) {
            closeQuietly(made.get());
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while connecting to " + where, e);
        }
    }

    static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (JMSException | RuntimeException ignored) {
            // given up anyway
        }
    }
}
