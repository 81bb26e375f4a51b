package io.anymq.rocketmq;

import io.anymq.InvalidMessageException;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's refusals of a message (its status code is in the client's exception text), as typed errors. */
class RocketMqErrorsTest {
    private static MessagingException refused(int code, String text) {
        return RocketMqErrors.map(new RuntimeException("[request-id=r-1, response-code=" + code + "] " + text), "RocketMQ did not take the message to 't'");
    }

    @Test
    void headersOverTheProxysLimitAreAnInvalidMessageNotAnOversizedPayload() {
        MessagingException e = refused(43101, "the total size of user property is too large, max is 16384");
        assertThat(e).isInstanceOf(InvalidMessageException.class).hasMessageContaining("'t'").hasMessageContaining("headers")
                .hasMessageContaining("max is 16384");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void aBodyOverTheProxysLimitIsTooLargeWithoutMadeUpSizes() {
        MessagingException e = refused(41301, "message body size exceeds the limit");
        assertThat(e).isInstanceOf(MessageTooLargeException.class).hasMessageNotContaining("-1 bytes")
                .hasMessageContaining("over the maximum size for rocketmq").hasMessageContaining("body size exceeds");
    }

    @Test
    void aControlCharacterInAKeyOrPropertyIsAnInvalidMessage() {
        assertThat(refused(40005, "key cannot contain control character")).isInstanceOf(InvalidMessageException.class);
        assertThat(refused(40007, "the value of property cannot contain control character")).isInstanceOf(InvalidMessageException.class);
    }
}
