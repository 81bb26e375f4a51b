package io.anymq.rocketmq;

import io.anymq.spi.ConnectionState;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Health for RocketMQ, whose gRPC client exposes no connection state or listener: a TCP connect to
 * the proxy endpoint that then sends the HTTP/2 client preface (what a gRPC client sends first) and
 * waits for the proxy's first answer, asynchronous, one at a time, run by {@link ConnectionState#probeWith}
 * (so at most once per interval, only while health is read; a read never waits). Any answer within
 * the timeout (the proxy's SETTINGS frame; on a TLS-only port a close or a reset also comes from a live
 * process): CONNECTED; refused, or accepted but silent within the timeout (a black-holed wire, a
 * hung proxy, a middle box that accepts for a dead peer): RECONNECTING (the client retries by itself).
 */
final class ProxyReachability {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The HTTP/2 client connection preface and an empty SETTINGS frame (RFC 9113 §3.4, §6.5). */
    private static final byte[] PREFACE = preface();

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
                report(false, "the proxy did not answer a new connection (TCP connect and the HTTP/2 preface) within " + TIMEOUT.toMillis() + " ms");
            }
        }, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void attachment) {
                    awaitAnswer(channel, done);
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

    /** Sends the preface and waits for the first byte back (or the close): the proxy's process answered. */
    private void awaitAnswer(AsynchronousSocketChannel channel, AtomicBoolean done) {
        if (done.get()) {
            return;
        }
        try {
            channel.write(ByteBuffer.wrap(PREFACE), null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer written, Void attachment) {
                    channel.read(ByteBuffer.allocate(64), null, new CompletionHandler<Integer, Void>() {
                        @Override
                        public void completed(Integer read, Void a) {
                            answered(channel, done);
                        }

                        @Override
                        public void failed(Throwable error, Void a) {
                            answered(channel, done); // reset or closed by the proxy: it answered (on a TLS-only port, so)
                        }
                    });
                }

                @Override
                public void failed(Throwable error, Void attachment) {
                    answered(channel, done); // the proxy closed the connection at once: it answered
                }
            });
        } catch (RuntimeException e) {
            answered(channel, done); // closed meanwhile by the timeout, which reported
        }
    }

    private void answered(AsynchronousSocketChannel channel, AtomicBoolean done) {
        if (done.compareAndSet(false, true)) {
            closeQuietly(channel);
            report(true, null);
        }
    }

    private static byte[] preface() {
        byte[] magic = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0}; // length 0, type SETTINGS, no flags, stream 0
        byte[] out = java.util.Arrays.copyOf(magic, magic.length + settings.length);
        System.arraycopy(settings, 0, out, magic.length, settings.length);
        return out;
    }

    private void report(boolean reachable, String why) {
        probing.set(false);
        if (closed) {
            return;
        }
        if (reachable) {
            state.connected("the proxy answers a new HTTP/2 connection (the gRPC client exposes no connection state)");
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
