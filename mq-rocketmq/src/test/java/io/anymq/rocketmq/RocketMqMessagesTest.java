package io.anymq.rocketmq;

import io.anymq.InvalidMessageException;
import io.anymq.Message;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.MessageId;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The message mapping through the real client's message builder, read back as the broker would hand it out. */
class RocketMqMessagesTest {
    private final ClientServiceProvider provider = ClientServiceProvider.loadService();

    /** What a consumer sees of a message the client built (the broker keeps body, keys, properties and delivery time). */
    static MessageView asDelivered(org.apache.rocketmq.client.apis.message.Message m, String nativeId) {
        return new MessageView() {
            @Override
            public MessageId getMessageId() {
                return new MessageId() {
                    @Override
                    public String getVersion() {
                        return "01";
                    }

                    @Override
                    public String toString() {
                        return nativeId;
                    }
                };
            }

            @Override
            public String getTopic() {
                return m.getTopic();
            }

            @Override
            public ByteBuffer getBody() {
                return m.getBody();
            }

            @Override
            public Map<String, String> getProperties() {
                return m.getProperties();
            }

            @Override
            public Optional<String> getTag() {
                return m.getTag();
            }

            @Override
            public Collection<String> getKeys() {
                return m.getKeys();
            }

            @Override
            public Optional<String> getMessageGroup() {
                return m.getMessageGroup();
            }

            @Override
            public Optional<Long> getDeliveryTimestamp() {
                return m.getDeliveryTimestamp();
            }

            @Override
            public Optional<String> getLiteTopic() {
                return m.getLiteTopic();
            }

            @Override
            public Optional<Integer> getPriority() {
                return m.getPriority();
            }

            @Override
            public String getBornHost() {
                return "127.0.0.1";
            }

            @Override
            public long getBornTimestamp() {
                return 1_700_000_000_000L;
            }

            @Override
            public int getDeliveryAttempt() {
                return 1;
            }
        };
    }

    @Test
    void everythingPortableSurvivesTheRoundTrip() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "t-1");
        headers.put("empty", "");
        headers.put("blank", "   ");
        headers.put("odd name & = %", "a=b&c");
        headers.put("spaces", "  leading and trailing  ");
        Instant ts = Instant.ofEpochMilli(1_234_567_890_123L);
        Message sent = Message.builder().payload(new byte[] {(byte) 0xff, 0, (byte) 0xc3}).key("k-ключ").headers(headers).id("id-1")
                .timestamp(ts).deliverAt(Instant.ofEpochMilli(2_000_000_000_000L)).build();
        org.apache.rocketmq.client.apis.message.Message n = RocketMqMessages.toNative(provider, "t", sent);
        assertThat(n.getKeys()).containsExactly("k-ключ");
        assertThat(n.getProperties()).containsEntry("trace", "t-1").doesNotContainKeys("empty", "blank");
        assertThat(n.getDeliveryTimestamp()).contains(2_000_000_000_000L);

        Message got = RocketMqMessages.fromNative(asDelivered(n, "NATIVE"));
        assertThat(got.payload()).isEqualTo(sent.payload());
        assertThat(got.key()).isEqualTo("k-ключ");
        assertThat(got.headers()).isEqualTo(headers);
        assertThat(got.id()).isEqualTo("id-1");
        assertThat(got.timestamp()).isEqualTo(ts);
        assertThat(got.deliverAt()).isEqualTo(Instant.ofEpochMilli(2_000_000_000_000L));
    }

    @Test
    void anEmptyPayloadTravelsAsOneByteAndComesBackEmpty() {
        org.apache.rocketmq.client.apis.message.Message n = RocketMqMessages.toNative(provider, "t", Message.of(new byte[0]));
        assertThat(n.getBody().remaining()).isEqualTo(1);
        Message got = RocketMqMessages.fromNative(asDelivered(n, "NATIVE"));
        assertThat(got.payload()).isEmpty();
        assertThat(got.headers()).isEmpty();
    }

    @Test
    void aMessageWithoutIdOrTimestampIsNamedAndTimedByTheBroker() {
        org.apache.rocketmq.client.apis.message.Message n = RocketMqMessages.toNative(provider, "t", Message.of("x"));
        assertThat(n.getProperties()).isEmpty();
        Message got = RocketMqMessages.fromNative(asDelivered(n, "01ABCDEF"));
        assertThat(got.id()).isEqualTo("01ABCDEF");
        assertThat(got.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void whatRocketMqCannotCarryIsRefusedAtSend() {
        assertThatThrownBy(() -> RocketMqMessages.toNative(provider, "t", Message.builder().payload("x").key("  ").build()))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> RocketMqMessages.toNative(provider, "t", Message.builder().payload("x").header(" ", "v").build()))
                .isInstanceOf(InvalidMessageException.class);
    }
}
