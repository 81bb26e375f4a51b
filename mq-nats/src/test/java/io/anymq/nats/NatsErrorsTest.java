package io.anymq.nats;

import io.anymq.ConnectionException;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.MessagingException;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ApiResponse;
import io.nats.client.support.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** jnats' failures of a JetStream publish, as the typed errors they must become. */
class NatsErrorsTest {
    private static final Message M = Message.builder().payload("p").id("m-1").build();

    /** A stream's refusal as jnats completes a publish's future with it: wrapped in a RuntimeException. */
    private static Throwable refusal(int apiErrorCode, String description) throws Exception {
        ApiResponse<?> answer = new ApiResponse<Object>(JsonParser.parse("{\"type\":\"io.nats.jetstream.api.v1.pub_ack\",\"error\":{\"code\":400,\"err_code\":"
                + apiErrorCode + ",\"description\":\"" + description + "\"}}")) { };
        return new CompletionException(new RuntimeException(new JetStreamApiException(answer)));
    }

    @Test
    void aStreamThatRefusesTheHeadersIsAnInvalidMessageNotALostConnection() throws Exception {
        MessagingException e = NatsErrors.publish("t", M, refusal(10097, "header size exceeds maximum allowed of 64k"), 1 << 20, true);
        assertThat(e).isInstanceOf(InvalidMessageException.class).hasMessageContaining("'t'").hasMessageContaining("64k");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void anotherRefusalSaysTheStreamRefusedAndNotThatTheMessageIsInDoubt() throws Exception {
        MessagingException e = NatsErrors.publish("t", M, refusal(10077, "maximum messages exceeded"), 1 << 20, true);
        assertThat(e).hasMessageContaining("the stream refused the message to 't'").hasMessageContaining("maximum messages exceeded")
                .hasMessageNotContaining("lost the connection").hasMessageNotContaining("may or may not");
    }

    @Test
    void noAnswerLeavesTheMessageInDoubt() {
        MessagingException e = NatsErrors.publish("t", M, new CompletionException(new java.io.IOException("connection closed")), 1 << 20, true);
        assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("may or may not have been stored");
    }
}
