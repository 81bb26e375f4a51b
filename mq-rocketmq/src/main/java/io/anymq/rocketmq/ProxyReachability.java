package io.anymq.rocketmq;

import io.anymq.spi.ConnectionState;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Health for RocketMQ, whose gRPC client exposes no connection state or listener: a TCP connect to
 * the proxy endpoint, asynchronous, one at a time, run by {@link ConnectionState#probeWith} (so at
 * most once per interval, only while health is read; a read never waits). Accepted: CONNECTED;
 * refused or unanswered within the timeout: RECONNECTING (the client retries by itself). It tells
 * whether the proxy is reachable, not whether it serves.
 */
final class ProxyReachability {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String host;
    private final int port;
    private final ConnectionState state;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean closed;

    ProxyReachability(String endpoint, ConnectionState state) {
        int colon = endpoint.lastIndexOf(':');
        this.host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
        this.port = Integer.parseInt(endpoint.substring(colon + 1));
        this.state = state;
        state.probeWith(this::probe, INTERVAL);
    }

    private void probe() {
        if (closed || !probing.compareAndSet(false, true)) {
            return;
        }
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            probing.set(false);
            return; // no socket for the probe: nothing learnt about the proxy
        }
        AtomicBoolean done = new AtomicBoolean();
        RocketMqTimer.TIMER.schedule(() -> {
            if (done.compareAndSet(false, true)) {
                closeQuietly(channel);
                report(false, "the proxy did not accept a TCP connection within " + TIMEOUT.toMillis() + " ms");
            }
        }, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void attachment) {
                    if (done.compareAndSet(false, true)) {
                        closeQuietly(channel);
                        report(true, null);
                    }
                }

                @Override
                public void failed(Throwable error, Void attachment) {
                    if (done.compareAndSet(false, true)) {
                        closeQuietly(channel);
                        report(false, "the proxy refused a TCP connection: " + error);
                    }
                }
            });
        } catch (RuntimeException e) {
            if (done.compareAndSet(false, true)) {
                closeQuietly(channel);
                report(false, "cannot open a TCP connection to the proxy: " + e);
            }
        }
    }

    private void report(boolean reachable, String why) {
        probing.set(false);
        if (closed) {
            return;
        }
        if (reachable) {
            state.connected("the proxy accepts TCP connections (the gRPC client exposes no connection state)");
        } else {
            state.reconnecting(why);
        }
    }

    void close() {
        closed = true;
    }

    private static void closeQuietly(AsynchronousSocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // a probe's socket
        }
    }
}
