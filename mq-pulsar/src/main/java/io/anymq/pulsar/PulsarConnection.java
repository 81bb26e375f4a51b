package io.anymq.pulsar;

import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientSharedResources;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The native client and the IO threads it runs on. The module makes the IO threads itself (pulsar-client's
 * {@code PulsarClientSharedResources}, the event loop only, as many threads as pulsar-client would make): a client
 * that owns them shuts them down gracefully in its close and waits for Netty's quiet period, 2 s with nothing left to
 * do, so every {@code client.close()} took 2.0 s. Here the client closes its producers, consumers and connections (the
 * wait for the broker stays), and then the IO threads are told to end: they end within the quiet period, after
 * {@code close} returned, with no connection left on them.
 */
record PulsarConnection(PulsarClient client, PulsarClientSharedResources ioThreads) {

    /** How long a close waits for pulsar-client to close its producers, consumers and connections. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** Closes the client (bounded by {@link #CLOSE_WAIT}), then lets the IO threads end. */
    void close() {
        try {
            client.closeAsync().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing: nothing more to do with a client that does not close cleanly
        } finally {
            endIoThreads(ioThreads);
        }
    }

    /** Tells the IO threads to end (without waiting for them): their client is closed, or was never made. */
    static void endIoThreads(PulsarClientSharedResources ioThreads) {
        try {
            ioThreads.close();
        } catch (Exception e) {
            // nothing holds them any more: they end when their loop ends
        }
    }
}
