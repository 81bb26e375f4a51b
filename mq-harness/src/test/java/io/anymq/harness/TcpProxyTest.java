package io.anymq.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TcpProxy} in front of an echo server that notes when each line arrived and how each connection ended. */
class TcpProxyTest {
    private Echo echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new Echo();
        proxy = TcpProxy.to("127.0.0.1", echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWaysAndPassesAnOrderlyClose() throws Exception {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            byte[] big = new byte[200_000];
            java.util.Arrays.fill(big, (byte) 'x');
            s.getOutputStream().write(big);
            s.getOutputStream().write('\n');
            assertThat(readLine(s.getInputStream())).hasSize(big.length);
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).as("the echo server's FIN comes through").isEqualTo(-1);
        }
        assertThat(echo.ends.poll(5, TimeUnit.SECONDS)).isEqualTo("eof");
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
        assertThat(proxy.bytesToTarget()).isEqualTo(6 + 200_001);
        awaitNoOpenConnection();
    }

    @Test
    void latencyIsAddedPerDirection() throws Exception {
        try (Socket s = connect()) {
            roundTrip(s, "warm-up");
            proxy.latency(Duration.ofMillis(300), Duration.ZERO);
            long sent = System.nanoTime();
            roundTrip(s, "up");
            long upTrip = System.nanoTime() - sent;
            assertThat(echo.arrivals.poll(1, TimeUnit.SECONDS)).isNotNull(); // warm-up
            long arrivedUp = echo.arrivals.poll(1, TimeUnit.SECONDS);
            assertThat(arrivedUp - sent).as("client -> server delayed").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

            proxy.latency(Duration.ZERO, Duration.ofMillis(300));
            sent = System.nanoTime();
            roundTrip(s, "down");
            long downTrip = System.nanoTime() - sent;
            long arrivedDown = echo.arrivals.poll(1, TimeUnit.SECONDS);
            assertThat(arrivedDown - sent).as("client -> server not delayed").isLessThan(TimeUnit.MILLISECONDS.toNanos(250));
            assertThat(downTrip).as("server -> client delayed").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            assertThat(upTrip).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

            proxy.latency(Duration.ZERO, Duration.ZERO);
            sent = System.nanoTime();
            roundTrip(s, "none");
            assertThat(System.nanoTime() - sent).isLessThan(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    @Test
    void dropResetsBothSidesAndLaterConnectionsWork() throws Exception {
        Socket s = connect();
        roundTrip(s, "before");
        assertThat(proxy.dropConnections()).isEqualTo(1);
        assertThatThrownBy(() -> {
            s.getOutputStream().write("after\n".getBytes(StandardCharsets.UTF_8));
            s.getInputStream().read();
            s.getOutputStream().write("again\n".getBytes(StandardCharsets.UTF_8));
        }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        s.close();
        assertThat(echo.ends.poll(5, TimeUnit.SECONDS)).as("the server side is reset too, not closed in order").startsWith("reset");
        assertThat(proxy.openConnections()).isZero();
        try (Socket again = connect()) {
            assertThat(roundTrip(again, "new")).isEqualTo("new");
        }
    }

    @Test
    void blackHoleForwardsNothingClosesNothingAndDeliversWhatWaitedWhenItForwardsAgain() throws Exception {
        try (Socket s = connect()) {
            roundTrip(s, "before");
            echo.arrivals.clear();
            proxy.blackHole();
            s.getOutputStream().write("held\n".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(1_000);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(echo.arrivals).as("nothing reached the server").isEmpty();
            assertThat(echo.ends).as("nobody saw a close").isEmpty();
            assertThat(s.isClosed()).isFalse();

            // a connection made meanwhile opens (at the proxy) and gets no answer either
            try (Socket late = connect()) {
                late.getOutputStream().write("late\n".getBytes(StandardCharsets.UTF_8));
                late.setSoTimeout(500);
                assertThatThrownBy(() -> late.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(echo.accepted).hasSize(1);

                proxy.forward();
                s.setSoTimeout(5_000);
                late.setSoTimeout(5_000);
                assertThat(readLine(s.getInputStream())).isEqualTo("held");
                assertThat(readLine(late.getInputStream())).isEqualTo("late");
                assertThat(roundTrip(s, "after")).isEqualTo("after");
            }
        }
    }

    @Test
    void cutResetsOpenConnectionsHoldsNewOnesForTheOutageThenForwards() throws Exception {
        Socket s = connect();
        roundTrip(s, "before");
        Thread cutter = new Thread(() -> proxy.cut(Duration.ofMillis(1_500)));
        cutter.start();
        assertThat(echo.ends.poll(5, TimeUnit.SECONDS)).as("the open connection is reset").startsWith("reset");
        s.close();
        try (Socket during = connect()) {
            during.getOutputStream().write("during\n".getBytes(StandardCharsets.UTF_8));
            during.setSoTimeout(500);
            assertThatThrownBy(() -> during.getInputStream().read()).as("no answer during the outage")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(echo.accepted).as("not connected upstream during the outage").hasSize(1);
            cutter.join(5_000);
            assertThat(proxy.isBlackHoled()).isFalse();
            during.setSoTimeout(5_000);
            assertThat(readLine(during.getInputStream())).as("what waited goes through after the outage").isEqualTo("during");
        }
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "after")).isEqualTo("after");
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(proxy.host(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private void awaitNoOpenConnection() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (proxy.openConnections() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(proxy.openConnections()).isZero();
    }

    private static String roundTrip(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        return readLine(s.getInputStream());
    }

    private static String readLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("end of stream after " + b.size() + " bytes");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Echoes lines; notes each line's arrival time (nanoTime) and how each connection ended (eof, reset: ...). */
    private static final class Echo implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> ends = new LinkedBlockingQueue<>();
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        Echo() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.add(s);
                        Thread c = new Thread(() -> serve(s));
                        c.setDaemon(true);
                        c.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String line;
                    try {
                        line = readLine(in);
                    } catch (IOException e) {
                        ends.add(e.getMessage() != null && e.getMessage().startsWith("end of stream") ? "eof" : "reset: " + e.getMessage());
                        return;
                    }
                    arrivals.add(System.nanoTime());
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                ends.add("reset: " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
