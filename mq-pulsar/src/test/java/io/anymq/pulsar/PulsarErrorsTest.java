package io.anymq.pulsar;

import io.anymq.ConnectionException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;
import org.apache.pulsar.client.api.PulsarClientException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class PulsarErrorsTest {

    /**
     * What pulsar-client 4.0 throws from a blocking create or subscribe while the broker is away: its own wrappers around
     * the future's wrappers, each message the next one's {@code toString()}.
     */
    private static PulsarClientException nested(Throwable root) {
        return new PulsarClientException(new ExecutionException(new PulsarClientException(new CompletionException(root))));
    }

    @Test
    void aCreationThatFailedForARefusedConnectionSaysSoWithoutTheWrappersClassNames() {
        java.net.ConnectException root = new java.net.ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:34627");
        MessagingException e = PulsarErrors.map(nested(root), "Pulsar could not create a producer for 'orders'");
        assertThat(e).isInstanceOf(ConnectionException.class).hasMessage("Pulsar could not create a producer for 'orders': "
                + "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:34627");
    }

    @Test
    void aTimeoutInsideTheWrappersIsATimeout() {
        MessagingException e = PulsarErrors.map(nested(new PulsarClientException.TimeoutException("Could not get response from broker")),
                "Pulsar could not subscribe group 'g' to 'orders'");
        assertThat(e).isInstanceOf(MessagingTimeoutException.class)
                .hasMessage("Pulsar could not subscribe group 'g' to 'orders': Could not get response from broker");
    }

    @Test
    void aWrapperWithWordsOfItsOwnKeepsThem() {
        PulsarClientException e = new PulsarClientException("Producer send queue is full", new IllegalStateException("pending 1000"));
        assertThat(PulsarErrors.map(e, "Pulsar did not take the message")).hasMessage("Pulsar did not take the message: "
                + "Producer send queue is full: pending 1000");
    }
}
