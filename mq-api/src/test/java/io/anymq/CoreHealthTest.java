package io.anymq;

import io.anymq.fake.OnAFakeBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core's health and connection-loss rules, on the scripted driver: health follows what the driver
 * reports; a receive after the connection stayed lost past the timeout throws, and works again once
 * it is back; a client close racing a producer close waits for it; sends cut off by a timed-out close
 * say they are in doubt.
 */
class CoreHealthTest extends OnAFakeBroker {
    @AfterEach
    void completeSends() {
        broker.completeSends(); // before the client closes (OnAFakeBroker)
    }

    @Test
    void healthFollowsTheDriversReportAndIsClosedAfterClose() {
        Instant before = Instant.now();
        assertThat(client.health().state()).isEqualTo(Health.State.CONNECTED);
        assertThat(client.health().usable()).isTrue();
        broker.connection.reconnecting("Connection refused");
        Health lost = client.health();
        assertThat(lost.state()).isEqualTo(Health.State.RECONNECTING);
        assertThat(lost.usable()).isFalse();
        assertThat(lost.detail()).contains("fake broker at nowhere:1").contains("Connection refused");
        assertThat(lost.since()).isAfterOrEqualTo(before);
        broker.connection.reconnecting("attempt 2: Connection refused");
        assertThat(client.health().since()).as("the same state keeps its start").isEqualTo(lost.since());
        assertThat(client.health().detail()).contains("attempt 2");
        broker.connection.connected();
        assertThat(client.health().state()).isEqualTo(Health.State.CONNECTED);
        client.close();
        assertThat(client.health().state()).isEqualTo(Health.State.CLOSED);
        assertThat(client.health().usable()).isFalse();
    }

    @Test
    void aDriverThatDoesNotObserveItsConnectionSaysSo() {
        try (MessagingClient unobserved = Messaging.connect("fake:" + name + "?unobserved=true")) {
            assertThat(unobserved.health().state()).isEqualTo(Health.State.CONNECTED);
            assertThat(unobserved.health().detail()).contains("does not observe");
        }
    }

    @Test
    void aReceiveAfterTheConnectionStayedLostPastTheTimeoutThrowsAndWorksAgainWhenItIsBack() {
        ConsumerOptions o = ConsumerOptions.builder("t", "g").connectionLossTimeout(Duration.ofMillis(300)).build();
        assertThat(ConsumerOptions.of("t", "g").connectionLossTimeout()).isEqualTo(Duration.ofSeconds(30));
        try (Consumer c = client.consumer(o)) {
            broker.connection.disconnected("connection closed by the server");
            assertThat(c.receive(Duration.ofMillis(20))).as("within the timeout: just nothing").isEmpty();
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.receive(Duration.ofSeconds(10)))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("fake broker at nowhere:1")
                    .hasMessageContaining("connection closed by the server")
                    .hasMessageContaining("connectionLossTimeout")
                    .hasMessageContaining("'t'");
            assertThat(System.nanoTime() - start).as("the long receive ends at the timeout, not its own")
                    .isLessThan(TimeUnit.SECONDS.toNanos(2));
            assertThatThrownBy(() -> c.receive(Duration.ZERO)).isInstanceOf(ConnectionException.class);
            broker.connection.connected();
            assertThat(c.receive(Duration.ofMillis(20))).isEmpty();
            broker.deliver("t", Message.of("back"), 1);
            assertThat(c.receive(Duration.ofSeconds(1))).hasValueSatisfying(d -> assertThat(d.message().payloadAsString()).isEqualTo("back"));
        }
    }

    @Test
    void aPollRefusedWhileTheConnectionIsLostIsNothingUntilTheTimeoutAndAfterwardsTheLossIsReported() {
        ConsumerOptions o = ConsumerOptions.builder("t3", "g").connectionLossTimeout(Duration.ofMillis(600)).build();
        try (Consumer c = client.consumer(o)) {
            broker.connection.reconnecting("Connection refused");
            broker.pollFailure.set(new ConnectionException("no connection to the fake broker at this moment", null));
            long start = System.nanoTime();
            assertThat(c.receive(Duration.ofMillis(200))).as("within the timeout: just nothing").isEmpty();
            assertThat(System.nanoTime() - start).as("the receive waited its time").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
            assertThatThrownBy(() -> c.receive(Duration.ofSeconds(10)))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("connectionLossTimeout")
                    .hasMessageContaining("Connection refused");
            broker.pollFailure.set(null);
            broker.connection.connected();
            broker.deliver("t3", Message.of("back"), 1);
            assertThat(c.receive(Duration.ofSeconds(1))).isPresent();
        }
    }

    @Test
    void aPollRefusedWhileTheConnectionIsUpThrowsAtOnce() {
        try (Consumer c = client.consumer("t4", "g")) {
            broker.pollFailure.set(new ConnectionException("refused for a reason of its own", null));
            assertThatThrownBy(() -> c.receive(Duration.ofSeconds(5))).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("a reason of its own");
            broker.pollFailure.set(null);
        }
    }

    @Test
    void aProducerCloseWhoseFlushFailsSaysItDidNotDrainInsteadOfThrowing() {
        Producer p = client.producer("t5");
        p.send(Message.of("x")).join();
        broker.flushFailure.set(new MessagingTimeoutException("the fake broker did not confirm the flush", null));
        try {
            assertThatThrownBy(p::flush).as("an explicit flush reports it").isInstanceOf(MessagingTimeoutException.class);
            assertThat(p.close(Duration.ofSeconds(1))).as("close: not everything is known to be out").isFalse();
            assertThat(broker.calls).contains("producer.close t5");
        } finally {
            broker.flushFailure.set(null);
        }
    }

    @Test
    void aDeliveryThatCameDuringTheOutageIsStillReceived() {
        ConsumerOptions o = ConsumerOptions.builder("t2", "g").connectionLossTimeout(Duration.ZERO).build();
        try (Consumer c = client.consumer(o)) {
            broker.connection.reconnecting("gone");
            broker.deliver("t2", Message.of("buffered"), 1);
            assertThat(c.receive(Duration.ofSeconds(1))).isPresent();
            assertThatThrownBy(() -> c.receive(Duration.ofMillis(10))).isInstanceOf(ConnectionException.class);
        }
    }

    @Test
    void aClientCloseRacingAProducerCloseWaitsForItsSends() throws Exception {
        broker.confirmSends.set(false);
        broker.failSendsOnClose.set(true);
        Producer p = client.producer("t");
        List<CompletableFuture<Receipt>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sends.add(p.send(Message.of("m" + i)));
        }
        Thread producerCloser = new Thread(p::close);
        producerCloser.start();
        while (!p.toString().contains("closed")) {
            Thread.sleep(1);
        }
        Thread clientCloser = new Thread(client::close);
        clientCloser.start();
        Thread.sleep(200);
        assertThat(broker.calls).as("the client waits for the producer's close").doesNotContain("client.close");
        broker.completeSends();
        producerCloser.join(5000);
        clientCloser.join(5000);
        for (CompletableFuture<Receipt> f : sends) {
            assertThat(f).isCompletedWithValue(null); // the fake confirms with a null receipt
        }
        assertThat(broker.calls.indexOf("producer.close t")).isLessThan(broker.calls.indexOf("client.close"));
    }

    @Test
    void sendsCutOffByATimedOutCloseSayTheyAreInDoubt() {
        broker.confirmSends.set(false);
        broker.failSendsOnClose.set(true);
        Producer p = client.producer(ProducerOptions.builder("t").closeTimeout(Duration.ofMillis(100)).build());
        CompletableFuture<Receipt> f = p.send(Message.of("x"));
        client.close();
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).hasCauseInstanceOf(ConnectionException.class)
                .hasMessageContaining("may or may not have been stored").hasMessageContaining("'t'");
    }
}
