package io.anymq.cloudevents;

import io.anymq.Message;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps CloudEvents to anymq {@link Message}s and back, in binary and structured content mode, so
 * that events written by other CloudEvents producers (Knative, Dapr, the CloudEvents SDKs'
 * Kafka serializer, ...) are read unchanged, on any backend.
 *
 * <pre>{@code
 * CloudEvent event = CloudEventBuilder.v1().withId("42").withSource(URI.create("/orders"))
 *         .withType("com.example.order.placed").withData("application/json", json).build();
 * producer.send(CloudEventMessages.toMessage(event));                 // binary: ce_* headers
 * producer.send(CloudEventMessages.toMessage(event, CloudEventMode.STRUCTURED));
 *
 * CloudEvent received = CloudEventMessages.toCloudEvent(delivery.message());   // either mode
 * }</pre>
 *
 * <p><b>Writing.</b> Binary mode puts the data in the payload and each attribute in a header named
 * {@code ce_<attribute>}, with {@code datacontenttype} as {@code content-type}: the names of the
 * CloudEvents Kafka protocol binding (underscores, not the HTTP binding's {@code ce-}: they are
 * valid names on every backend, JMS properties included). Structured mode writes the JSON event
 * format ({@code application/cloudevents+json}) as the payload and that media type as
 * {@code content-type}. In both modes the {@code partitionkey} extension, when the event has one,
 * is the message's key (as the Kafka binding says for the record key). The message's id and
 * timestamp are the SDK's own (stamped at send); the event's {@code id} is unique per
 * {@code source} only, so it is not used as the message id.
 *
 * <p><b>Reading.</b> A {@code content-type} header (any case) starting with
 * {@code application/cloudevents} is structured mode, decoded by the event format registered for
 * it (JSON here; batch formats are refused). Otherwise a spec version header under one of the
 * binding prefixes {@code ce_} (Kafka), {@code ce-} (HTTP, NATS), {@code cloudEvents_} or
 * {@code cloudEvents:} (AMQP), compared ignoring case, is binary mode: the headers under that prefix
 * are the attributes and extensions (their names lower-cased), {@code content-type} is
 * {@code datacontenttype}, a non-empty payload is the data. Header values are taken as they are
 * (the HTTP binding's percent-encoding is not undone). A message with neither, and with no
 * {@code content-type} at all, whose payload is a JSON object with a {@code specversion} member is
 * read as structured JSON too: what producers that do not label their payload (Dapr's pub/sub on
 * brokers where the media type is not a header) write. Every other message is refused with
 * {@link CloudEventFormatException}.
 */
public final class CloudEventMessages {
    /** The prefix of attribute headers this module writes (the CloudEvents Kafka binding's). */
    public static final String HEADER_PREFIX = "ce_";
    /** The header that holds {@code datacontenttype} in binary mode and the event format in structured mode. */
    public static final String CONTENT_TYPE = "content-type";
    /** The media type of a structured event in the JSON event format. */
    public static final String STRUCTURED_JSON = JsonFormat.CONTENT_TYPE;
    /** The attribute header prefixes read in binary mode, in the order they are tried. */
    public static final List<String> BINARY_PREFIXES = List.of("ce_", "ce-", "cloudEvents_", "cloudEvents:");

    private static final String SPECVERSION = "specversion";
    private static final String STRUCTURED_PREFIX = "application/cloudevents";

    private CloudEventMessages() {
    }

    /**
     * The event as a message in binary content mode.
     *
     * @param event the event
     * @return a message: data as payload, attributes as {@code ce_*} headers
     * @throws CloudEventFormatException the event cannot be written (an attribute value the format refuses)
     */
    public static Message toMessage(CloudEvent event) {
        return toMessage(event, CloudEventMode.BINARY);
    }

    /**
     * The event as a message in the given content mode.
     *
     * @param event the event
     * @param mode  binary or structured
     * @return the message; its key is the event's {@code partitionkey} extension, if any
     * @throws CloudEventFormatException the event cannot be written
     */
    public static Message toMessage(CloudEvent event, CloudEventMode mode) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(mode, "mode");
        Object partitionKey = event.getExtension("partitionkey");
        MessageCloudEventWriter writer = new MessageCloudEventWriter(partitionKey == null ? null : partitionKey.toString());
        try {
            return mode == CloudEventMode.BINARY ? writer.writeBinary(event) : writer.writeStructured(event, new JsonFormat());
        } catch (RuntimeException e) {
            throw new CloudEventFormatException("the CloudEvent " + describe(event) + " cannot be written in " + mode
                    + " mode: " + e.getMessage(), e);
        }
    }

    /**
     * How a message carries a CloudEvent, by its headers (and, for an unlabelled payload, its first
     * bytes), without decoding it.
     *
     * @param message a message
     * @return the mode, or empty when the message does not look like a CloudEvent
     */
    public static Optional<CloudEventMode> mode(Message message) {
        String contentType = header(message, CONTENT_TYPE);
        if (contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(STRUCTURED_PREFIX)) {
            return Optional.of(CloudEventMode.STRUCTURED);
        }
        if (binaryPrefix(message) != null) {
            return Optional.of(CloudEventMode.BINARY);
        }
        if (contentType == null && looksLikeStructuredJson(message.payload())) {
            return Optional.of(CloudEventMode.STRUCTURED);
        }
        return Optional.empty();
    }

    /**
     * Whether the message looks like a CloudEvent ({@link #mode(Message)} is not empty).
     *
     * @param message a message
     * @return true for a binary or structured CloudEvent
     */
    public static boolean isCloudEvent(Message message) {
        return mode(message).isPresent();
    }

    /**
     * The CloudEvent a message carries, in either content mode.
     *
     * @param message a received (or built) message
     * @return the event, with its attributes, extensions and data as written by the producer
     * @throws CloudEventFormatException the message is no CloudEvent, or an invalid one (which, and why, is in the message)
     */
    public static CloudEvent toCloudEvent(Message message) {
        Objects.requireNonNull(message, "message");
        String contentType = header(message, CONTENT_TYPE);
        if (contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(STRUCTURED_PREFIX)) {
            return structured(message, contentType.trim());
        }
        String prefix = binaryPrefix(message);
        if (prefix != null) {
            String version = header(message, prefix + SPECVERSION);
            SpecVersion specVersion;
            try {
                specVersion = SpecVersion.parse(version.trim());
            } catch (RuntimeException e) {
                throw new CloudEventFormatException("the header " + prefix + SPECVERSION + " names spec version '" + version
                        + "', which this SDK does not know (it reads " + knownVersions() + ")", e);
            }
            try {
                return new MessageBinaryReader(specVersion, message, prefix).toEvent();
            } catch (RuntimeException e) {
                throw new CloudEventFormatException("the message " + describe(message) + " is not a valid binary-mode CloudEvent: "
                        + e.getMessage(), e);
            }
        }
        if (contentType == null && looksLikeStructuredJson(message.payload())) {
            return structured(message, STRUCTURED_JSON);
        }
        throw new CloudEventFormatException("the message " + describe(message) + " is not a CloudEvent: no "
                + HEADER_PREFIX + SPECVERSION + " (or ce-, cloudEvents_, cloudEvents:) header, "
                + (contentType == null ? "no content-type, and the payload is not a JSON object with a specversion"
                : "and its content-type '" + contentType + "' is not application/cloudevents"));
    }

    private static CloudEvent structured(Message message, String contentType) {
        String mediaType = contentType.toLowerCase(Locale.ROOT);
        if (mediaType.startsWith("application/cloudevents-batch")) {
            throw new CloudEventFormatException("the message " + describe(message) + " is a batch of CloudEvents ('" + contentType
                    + "'): batched content mode is not read here; send one event per message");
        }
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(mediaType.split(";", 2)[0].trim());
        if (format == null) {
            throw new CloudEventFormatException("the message " + describe(message) + " is a structured CloudEvent in the format '"
                    + contentType + "', for which no CloudEvents event format is on the class path (formats found: "
                    + EventFormatProvider.getInstance().getContentTypes() + ")");
        }
        try {
            return format.deserialize(message.payload());
        } catch (RuntimeException e) {
            throw new CloudEventFormatException("the message " + describe(message) + " is not a valid structured CloudEvent ("
                    + contentType + "): " + e.getMessage(), e);
        }
    }

    /** The prefix of the spec version header, as one of {@link #BINARY_PREFIXES}, or null. */
    private static String binaryPrefix(Message message) {
        for (String prefix : BINARY_PREFIXES) {
            if (header(message, prefix + SPECVERSION) != null) {
                return prefix;
            }
        }
        return null;
    }

    /** A header's value by name ignoring case (exact name first). */
    private static String header(Message message, String name) {
        Map<String, String> headers = message.headers();
        String v = headers.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A JSON object whose text mentions "specversion": worth decoding as a structured event. */
    private static boolean looksLikeStructuredJson(byte[] payload) {
        int i = 0;
        while (i < payload.length && (payload[i] == ' ' || payload[i] == '\n' || payload[i] == '\r' || payload[i] == '\t')) {
            i++;
        }
        if (i >= payload.length || payload[i] != '{') {
            return false;
        }
        byte[] needle = "\"specversion\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int p = i; p <= payload.length - needle.length; p++) {
            for (int j = 0; j < needle.length; j++) {
                if (payload[p + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String knownVersions() {
        StringBuilder b = new StringBuilder();
        for (SpecVersion v : SpecVersion.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(v);
        }
        return b.toString();
    }

    private static String describe(CloudEvent event) {
        return "(id " + event.getId() + ", source " + event.getSource() + ", type " + event.getType() + ")";
    }

    private static String describe(Message message) {
        return message.id() != null ? "with id " + message.id() : "without id";
    }
}
