package io.anymq.rocketmq;

import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.spi.ReservedHeaders;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.message.MessageBuilder;
import org.apache.rocketmq.client.apis.message.MessageView;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A portable message as a RocketMQ message and back. Payload → body; key → the message key; headers →
 * user properties; deliverAt → the delivery timestamp. What RocketMQ cannot carry as it is travels in
 * reserved properties: the SDK id ({@code anymq-id}; a message sent without one is named by RocketMQ's
 * own message id, so nothing travels), the timestamp ({@code anymq-timestamp}, epoch ms), an empty
 * payload (RocketMQ refuses an empty body: one 0x00 byte and {@code anymq-empty-payload=true}), and
 * headers with a blank value (the client refuses blank property values: {@code anymq-blank-headers},
 * form-encoded {@code name=value&...}).
 */
final class RocketMqMessages {
    static final String EMPTY_PAYLOAD = ReservedHeaders.PREFIX + "empty-payload";
    static final String BLANK_HEADERS = ReservedHeaders.PREFIX + "blank-headers";
    private static final byte[] EMPTY_BODY = {0};

    private RocketMqMessages() {
    }

    static org.apache.rocketmq.client.apis.message.Message toNative(ClientServiceProvider provider, String topic, Message m) {
        return toNative(provider, topic, m, false);
    }

    /** With {@code fifo}, a keyed message's message group is its key (RocketMQ keeps a message group in order). */
    static org.apache.rocketmq.client.apis.message.Message toNative(ClientServiceProvider provider, String topic, Message m, boolean fifo) {
        try {
            MessageBuilder b = provider.newMessageBuilder().setTopic(topic);
            if (m.payloadSize() == 0) {
                b.setBody(EMPTY_BODY).addProperty(EMPTY_PAYLOAD, "true");
            } else {
                b.setBody(io.anymq.spi.Payloads.shared(m));
            }
            if (m.key() != null) {
                if (m.key().isBlank()) {
                    throw new InvalidMessageException("RocketMQ refuses a message key of only whitespace: '" + m.key() + "'");
                }
                b.setKeys(m.key());
                if (fifo) {
                    b.setMessageGroup(m.key());
                }
            }
            StringJoiner blank = null; // most messages have no header with a blank value
            for (Map.Entry<String, String> h : m.headers().entrySet()) {
                if (h.getKey().isBlank()) {
                    throw new InvalidMessageException("RocketMQ refuses a property name of only whitespace: '" + h.getKey() + "'");
                }
                if (h.getValue().isBlank()) {
                    if (blank == null) {
                        blank = new StringJoiner("&");
                    }
                    blank.add(encode(h.getKey()) + "=" + encode(h.getValue()));
                } else {
                    b.addProperty(h.getKey(), h.getValue());
                }
            }
            if (blank != null) {
                b.addProperty(BLANK_HEADERS, blank.toString());
            }
            if (m.id() != null) {
                b.addProperty(ReservedHeaders.ID, m.id());
            }
            if (m.timestamp() != null) {
                b.addProperty(ReservedHeaders.TIMESTAMP, Long.toString(m.timestamp().toEpochMilli()));
            }
            if (m.deliverAt() != null) {
                b.setDeliveryTimestamp(m.deliverAt().toEpochMilli());
            }
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidMessageException("RocketMQ cannot carry this message: " + e.getMessage());
        }
    }

    static Message fromNative(MessageView v) {
        Map<String, String> props = new LinkedHashMap<>(v.getProperties());
        ByteBuffer body = v.getBody();
        byte[] payload = new byte[body.remaining()];
        body.duplicate().get(payload);
        if ("true".equals(props.remove(EMPTY_PAYLOAD))) {
            payload = new byte[0];
        }
        String id = props.remove(ReservedHeaders.ID);
        String ts = props.remove(ReservedHeaders.TIMESTAMP);
        String blank = props.remove(BLANK_HEADERS);
        Message.Builder b = io.anymq.spi.Payloads.adopt(Message.builder(), payload) // copied out of the view above
                .id(id != null ? id : v.getMessageId().toString())
                .timestamp(ts != null ? parseMillis(ts, v.getBornTimestamp()) : Instant.ofEpochMilli(v.getBornTimestamp()));
        Iterator<String> keys = v.getKeys().iterator();
        if (keys.hasNext()) {
            b.key(keys.next());
        }
        v.getDeliveryTimestamp().ifPresent(t -> b.deliverAt(Instant.ofEpochMilli(t)));
        b.headers(props);
        if (blank != null) {
            for (String pair : blank.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    b.header(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return b.build();
    }

    private static Instant parseMillis(String s, long fallback) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Instant.ofEpochMilli(fallback);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
