package io.anymq.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between a client and a broker, for wire-fault tests: listens on a free loopback port and
 * forwards every connection to one target, and can
 * <ul>
 *   <li>{@link #latency(Duration, Duration) add latency}, per direction (each chunk is held until its
 *   read time plus the delay: latency, not a bandwidth limit);</li>
 *   <li>{@link #dropConnections() drop} every open connection: both sides are closed with a reset (RST,
 *   {@code SO_LINGER 0}); new connections are accepted as before;</li>
 *   <li>{@link #cut(Duration) cut} the wire for a while: drop every connection and hold new ones unanswered,
 *   then forward again;</li>
 *   <li>{@link #blackHole() black-hole} the wire: no byte is forwarded in either direction, nothing is
 *   closed or reset, both sides' sockets stay open. What the peers write meanwhile stays in socket
 *   buffers (the proxy stops reading; at most a few chunks wait inside it), and {@link #forward()}
 *   delivers it, as TCP retransmission does when a partition heals. A connection accepted while the
 *   wire is black-holed is connected upstream only once it forwards again (the client sees an open
 *   connection that never answers).</li>
 * </ul>
 * Blocking sockets, two threads per direction per connection (a reader and a writer that waits for
 * each chunk's due time): meant for tests with a handful of connections. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int CHUNK = 16 * 1024;
    /** Chunks read and not yet written, per direction: past this the reader waits (back-pressure to the sender). */
    private static final int QUEUED_CHUNKS = 16;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean blackHoled;
    private volatile boolean closed;
    private volatile long upstreamDelayNanos;
    private volatile long downstreamDelayNanos;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicLong downstreamBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort() + "->" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port that forwards to {@code targetHost:targetPort}. */
    public static TcpProxy to(String targetHost, int targetPort) {
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("target port out of range: " + targetPort);
        }
        try {
            return new TcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on a loopback port for a proxy to " + targetHost + ":" + targetPort, e);
        }
    }

    /** The loopback address clients connect to. */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Delays every byte client → target by {@code toTarget} and target → client by {@code toClient} (zero: none). */
    public void latency(Duration toTarget, Duration toClient) {
        if (toTarget.isNegative() || toClient.isNegative()) {
            throw new IllegalArgumentException("latency cannot be negative: " + toTarget + ", " + toClient);
        }
        upstreamDelayNanos = toTarget.toNanos();
        downstreamDelayNanos = toClient.toNanos();
    }

    /** Stops forwarding bytes in both directions; no connection is closed or reset. */
    public void blackHole() {
        blackHoled = true;
    }

    /** Forwards again after {@link #blackHole()}: what waited is delivered. */
    public void forward() {
        synchronized (gate) {
            blackHoled = false;
            gate.notifyAll();
        }
    }

    /** Whether the wire is black-holed now. */
    public boolean isBlackHoled() {
        return blackHoled;
    }

    /** Resets both sides of every open connection (RST); returns how many were open. Later connections work. */
    public int dropConnections() {
        int n = 0;
        for (Link link : links) {
            link.reset();
            n++;
        }
        dropped.addAndGet(n);
        return n;
    }

    /**
     * Cuts the wire for {@code outage}, the broker running on: black-holes it, resets every open connection
     * (RST), holds connections made meanwhile unanswered (accepted, never connected upstream), and after the
     * outage forwards again. Blocks for the outage; returns how many connections were reset. What
     * {@code BrokerFaults.cutConnections} asks of a hook.
     */
    public int cut(Duration outage) {
        if (outage.isNegative()) {
            throw new IllegalArgumentException("outage cannot be negative: " + outage);
        }
        blackHole();
        try {
            int reset = dropConnections();
            Thread.sleep(outage.toMillis());
            return reset;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            forward();
        }
    }

    /** Connections open through the proxy now. */
    public int openConnections() {
        return links.size();
    }

    /** Connections accepted since the start. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Bytes written to the target since the start. */
    public long bytesToTarget() {
        return upstreamBytes.get();
    }

    /** Bytes written to clients since the start. */
    public long bytesToClients() {
        return downstreamBytes.get();
    }

    @Override
    public String toString() {
        return "TcpProxy[" + host() + ":" + port() + " -> " + targetHost + ":" + targetPort + (blackHoled ? ", black-holed" : "")
                + ", " + links.size() + " open, " + accepted.get() + " accepted, " + dropped.get() + " dropped]";
    }

    /** Stops listening and resets every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropConnections();
        forward(); // wakes every thread waiting at the gate: they see the closed sockets and end
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println(this + ": accept failed: " + e);
                }
                return;
            }
            accepted.incrementAndGet();
            Link link = new Link(client);
            links.add(link);
            Thread t = new Thread(link::open, "tcp-proxy-" + port() + "-conn-" + accepted.get());
            t.setDaemon(true);
            t.start();
        }
    }

    /** Waits while the wire is black-holed; false when the proxy closed meanwhile. */
    private boolean awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (blackHoled && !closed) {
                gate.wait(100);
            }
        }
        return !closed;
    }

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    /** One client connection and its connection to the target. */
    private final class Link {
        private final Socket client;
        private volatile Socket target;
        private volatile boolean done;
        private final java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();

        Link(Socket client) {
            this.client = client;
        }

        void open() {
            try {
                if (!awaitForwarding()) {
                    reset();
                    return;
                }
                Socket t = new Socket();
                t.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                t.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                target = t;
                if (done) { // reset while connecting
                    reset();
                    return;
                }
                pump(client.getInputStream(), t.getOutputStream(), true);
                pump(t.getInputStream(), client.getOutputStream(), false);
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        /** Reader and writer threads for one direction. */
        private void pump(InputStream in, OutputStream out, boolean toTarget) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            String dir = toTarget ? "up" : "down";
            Thread reader = new Thread(() -> read(in, queue, toTarget), Thread.currentThread().getName() + "-" + dir + "-read");
            Thread writer = new Thread(() -> write(queue, out, toTarget), Thread.currentThread().getName() + "-" + dir + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(InputStream in, BlockingQueue<Chunk> queue, boolean toTarget) {
            byte[] buf = new byte[CHUNK];
            try {
                while (!done && awaitForwarding()) {
                    int n = in.read(buf);
                    if (n < 0) {
                        queue.put(END);
                        return;
                    }
                    long delay = toTarget ? upstreamDelayNanos : downstreamDelayNanos;
                    queue.put(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delay));
                }
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        private void write(BlockingQueue<Chunk> queue, OutputStream out, boolean toTarget) {
            try {
                while (!done) {
                    Chunk c = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (c == null) {
                        continue;
                    }
                    if (c == END) {
                        // the sender closed its side: close this direction gracefully, like a FIN passing through
                        (toTarget ? target : client).shutdownOutput();
                        if (ended.incrementAndGet() == 2) {
                            finish();
                        }
                        return;
                    }
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!awaitForwarding() || done) {
                        return;
                    }
                    out.write(c.bytes());
                    out.flush();
                    (toTarget ? upstreamBytes : downstreamBytes).addAndGet(c.bytes().length);
                }
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        /** Both directions ended with a FIN: closes both sockets normally. */
        private void finish() {
            done = true;
            links.remove(this);
            try {
                client.close();
                target.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        /** Closes both sides with RST (SO_LINGER 0); the peers see "connection reset". */
        void reset() {
            done = true;
            links.remove(this);
            abort(client);
            abort(target);
        }

        private void abort(Socket s) {
            if (s == null) {
                return;
            }
            try {
                if (!s.isClosed()) {
                    s.setSoLinger(true, 0);
                }
            } catch (SocketException ignored) {
                // already closed
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
