package io.anymq.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RocketMqBrokerTest {

    /**
     * RocketMQ's broker opens a second remoting listener at its port minus 2, on every interface, with no option
     * to move it. A full run failed when that port, never chosen, was taken ("Failed to bind to 0.0.0.0:39177").
     */
    @Test
    void theListenerTheBrokerOpensTwoBelowItsPortIsChosenFreeAndNotGivenToAnotherBroker(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 5; i++) {
            RocketMqBroker broker = new RocketMqBroker(BrokerOptions.defaults().withBaseDir(dir.resolve("b" + i)));
            int fast = broker.brokerPort() - 2;
            assertThat(FreePorts.isGiven(fast)).as("port %d, two below the broker's %d", fast, broker.brokerPort()).isTrue();
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(fast), 1); // free on every interface, as the broker binds it
            }
        }
    }

    @Test
    void aPortChosenWithItsLowerNeighbourKeepsBothFromLaterChoices() {
        int port = FreePorts.nextWithFreeBelow(2);
        assertThat(FreePorts.isGiven(port)).isTrue();
        assertThat(FreePorts.isGiven(port - 2)).isTrue();
    }
}
