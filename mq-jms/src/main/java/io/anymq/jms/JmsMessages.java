package io.anymq.jms;

import io.anymq.Message;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An anymq message as a JMS message and back. The payload is the body of a {@code BytesMessage};
 * each header is a string property (its name escaped by {@link PropertyNames}); the id, timestamp,
 * key and the deliveries before this copy are the properties {@code anymq_id},
 * {@code anymq_timestamp} (epoch milliseconds), {@code anymq_key} and {@code anymq_deliveries}.
 * From other senders: a {@code TextMessage}'s text is the payload in UTF-8, a message without a body
 * has an empty payload; without {@code anymq_id} the id is the {@code JMSMessageID}, without
 * {@code anymq_timestamp} the time is {@code JMSTimestamp}, without {@code anymq_key} the key is
 * {@code JMSXGroupID} when set. Map, Stream and Object messages carry no bytes anymq can give
 * back exactly: they arrive with an empty payload and the header {@code jms-body-type}.
 * Where the broker breaks characters outside the Basic Multilingual Plane in properties (ActiveMQ
 * Classic), a value holding one is written as Base64 of its UTF-8 and its property named in
 * {@code anymq_base64} (comma-separated).
 */
final class JmsMessages {
    static final String ID = PropertyNames.OWN_PREFIX + "id";
    static final String TIMESTAMP = PropertyNames.OWN_PREFIX + "timestamp";
    static final String TIMESTAMP_NANOS = PropertyNames.OWN_PREFIX + "timestamp_nanos";
    static final String KEY = PropertyNames.OWN_PREFIX + "key";
    /** How many deliveries this message had to the group before this copy was sent (a nack or release resends). */
    static final String DELIVERIES = PropertyNames.OWN_PREFIX + "deliveries";
    /** The properties whose values are Base64 of UTF-8 (values with supplementary characters, where the broker breaks them), comma-separated. */
    static final String BASE64 = PropertyNames.OWN_PREFIX + "base64";
    static final String BODY_TYPE_HEADER = "jms-body-type";
    private static final String GROUP_ID = "JMSXGroupID";

    private JmsMessages() {
    }

    /** The JMS message for an anymq message; {@code earlierDeliveries} is 0 for a first send. */
    static BytesMessage toJms(Session session, Message m, int earlierDeliveries, boolean keepsSupplementary) throws JMSException {
        return fill(session.createBytesMessage(), m, earlierDeliveries, keepsSupplementary);
    }

    /** Writes the message into an empty {@code BytesMessage}. */
    static BytesMessage fill(BytesMessage out, Message m, int earlierDeliveries, boolean keepsSupplementary) throws JMSException {
        out.writeBytes(io.anymq.spi.Payloads.shared(m)); // JMS copies it into the message
        StringProps props = new StringProps(out, keepsSupplementary);
        if (m.id() != null) {
            props.set(ID, m.id());
        }
        Instant ts = m.timestamp();
        if (ts != null) {
            out.setLongProperty(TIMESTAMP, ts.toEpochMilli());
            int subMilli = ts.getNano() % 1_000_000;
            if (subMilli != 0) {
                out.setIntProperty(TIMESTAMP_NANOS, subMilli);
            }
        }
        if (m.key() != null) {
            props.set(KEY, m.key());
        }
        if (earlierDeliveries > 0) {
            out.setIntProperty(DELIVERIES, earlierDeliveries);
        }
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            props.set(PropertyNames.encode(h.getKey()), h.getValue());
        }
        props.finish();
        return out;
    }

    /** Sets string properties, writing values the broker would break as Base64 and listing them in {@link #BASE64}. */
    private static final class StringProps {
        private final jakarta.jms.Message out;
        private final boolean keepsSupplementary;
        private StringBuilder encoded;

        StringProps(jakarta.jms.Message out, boolean keepsSupplementary) {
            this.out = out;
            this.keepsSupplementary = keepsSupplementary;
        }

        void set(String name, String value) throws JMSException {
            if (keepsSupplementary || !hasSupplementary(value)) {
                out.setStringProperty(name, value);
                return;
            }
            out.setStringProperty(name, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            encoded = encoded == null ? new StringBuilder(name) : encoded.append(',').append(name);
        }

        void finish() throws JMSException {
            if (encoded != null) {
                out.setStringProperty(BASE64, encoded.toString());
            }
        }

        private static boolean hasSupplementary(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.isSurrogate(s.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A string property's value, decoded where {@link #BASE64} lists it. */
    private static String stringProperty(jakarta.jms.Message in, Set<String> base64, String name) throws JMSException {
        Object v = in.getObjectProperty(name);
        if (v == null) {
            return null;
        }
        if (base64.contains(name)) {
            try {
                return new String(Base64.getDecoder().decode(v.toString()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return v.toString();
            }
        }
        return v.toString();
    }

    private static Set<String> base64Names(jakarta.jms.Message in) throws JMSException {
        String list = in.getStringProperty(BASE64);
        return list == null || list.isEmpty() ? Set.of() : Set.of(list.split(","));
    }

    /** The anymq message carried by a received JMS message. */
    static Message fromJms(jakarta.jms.Message in) throws JMSException {
        Message.Builder b = Message.builder();
        Map<String, String> headers = new LinkedHashMap<>();
        io.anymq.spi.Payloads.adopt(b, payload(in, headers)); // a fresh array
        Set<String> base64 = base64Names(in);
        String id = stringProperty(in, base64, ID);
        b.id(id != null ? id : in.getJMSMessageID());
        if (in.propertyExists(TIMESTAMP)) {
            Instant t = Instant.ofEpochMilli(in.getLongProperty(TIMESTAMP));
            if (in.propertyExists(TIMESTAMP_NANOS)) {
                t = t.plusNanos(in.getIntProperty(TIMESTAMP_NANOS));
            }
            b.timestamp(t);
        } else if (in.getJMSTimestamp() > 0) {
            b.timestamp(Instant.ofEpochMilli(in.getJMSTimestamp()));
        }
        String key = stringProperty(in, base64, KEY);
        if (key == null) {
            key = in.getStringProperty(GROUP_ID);
        }
        if (key != null && !key.isEmpty()) {
            b.key(key);
        }
        Enumeration<?> names = in.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (PropertyNames.isReserved(name)) {
                continue; // ours, or the broker's
            }
            String v = stringProperty(in, base64, name);
            if (v != null) {
                String header = PropertyNames.decode(name);
                if (!header.isEmpty()) {
                    headers.put(header, v); // anymq-* ones too: the core's dead-letter headers travel this way
                }
            }
        }
        b.headers(headers);
        return b.build();
    }

    /** How many deliveries came before this copy (0 for an original). */
    static int earlierDeliveries(jakarta.jms.Message in) throws JMSException {
        return in.propertyExists(DELIVERIES) ? in.getIntProperty(DELIVERIES) : 0;
    }

    private static byte[] payload(jakarta.jms.Message in, Map<String, String> headers) throws JMSException {
        if (in instanceof BytesMessage bm) {
            bm.reset();
            long n = bm.getBodyLength();
            byte[] bytes = new byte[(int) n];
            bm.readBytes(bytes);
            return bytes;
        }
        if (in instanceof TextMessage tm) {
            String text = tm.getText();
            return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        }
        if (in instanceof MapMessage) {
            headers.put(BODY_TYPE_HEADER, "MapMessage");
        } else if (in instanceof StreamMessage) {
            headers.put(BODY_TYPE_HEADER, "StreamMessage");
        } else if (in instanceof ObjectMessage) {
            headers.put(BODY_TYPE_HEADER, "ObjectMessage");
        }
        return new byte[0];
    }
}
