package io.anymq.rocketmq;

import io.anymq.Health;
import io.anymq.spi.ConnectionState;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The health probe against real loopback sockets: one that answers, one that accepts and stays silent, none. */
class ProxyReachabilityTest {

    @Test
    void anEndpointThatAnswersThePrefaceIsConnected() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    in.readNBytes(24); // the preface's magic
                    s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // the server's SETTINGS
                    s.getOutputStream().flush();
                    in.read();
                } catch (Exception closed) {
                    // the probe closed its side
                }
            });
            answering.setDaemon(true);
            answering.start();
            ConnectionState state = new ConnectionState("RocketMQ proxy at test");
            state.reconnecting("not probed yet");
            new ProxyReachability("127.0.0.1:" + server.getLocalPort(), state);
            Health h = awaitProbed(state);
            assertThat(h.state()).isEqualTo(Health.State.CONNECTED);
            assertThat(h.detail()).contains("answers");
        }
    }

    @Test
    void anEndpointThatAcceptsButNeverAnswersIsReconnecting() throws Exception {
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread silent = new Thread(() -> {
                try {
                    held.add(server.accept()); // a black-holed wire: accepted, nothing ever comes back
                } catch (Exception closed) {
                    // the test ended
                }
            });
            silent.setDaemon(true);
            silent.start();
            ConnectionState state = new ConnectionState("RocketMQ proxy at test");
            new ProxyReachability("127.0.0.1:" + server.getLocalPort(), state);
            long start = System.nanoTime();
            assertThat(state.health().state()).isEqualTo(Health.State.CONNECTED); // the first probe starts, nothing missed yet
            Health h = state.health();
            while (h.state() == Health.State.CONNECTED && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(50);
                h = state.health();
            }
            assertThat(h.state()).isEqualTo(Health.State.RECONNECTING);
            assertThat(h.detail()).contains("did not answer").contains(String.valueOf(ProxyReachability.TIMEOUT.toMillis()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ProxyReachability.TIMEOUT);
        } finally {
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aClosedPortIsReconnecting() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        ConnectionState state = new ConnectionState("RocketMQ proxy at test");
        new ProxyReachability("127.0.0.1:" + port, state);
        state.health();
        long start = System.nanoTime();
        Health h = state.health();
        while (h.state() == Health.State.CONNECTED && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(50);
            h = state.health();
        }
        assertThat(h.state()).isEqualTo(Health.State.RECONNECTING);
        assertThat(h.detail()).contains("refused");
    }

    /** Reads health until the probe reported (the state changed from the one set before). */
    private static Health awaitProbed(ConnectionState state) throws InterruptedException {
        long start = System.nanoTime();
        Health h = state.health();
        while (h.state() == Health.State.RECONNECTING && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(50);
            h = state.health();
        }
        return h;
    }
}
