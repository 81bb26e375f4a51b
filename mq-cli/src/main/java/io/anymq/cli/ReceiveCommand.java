package io.anymq.cli;

import io.anymq.Capability;
import io.anymq.ConnectionException;
import io.anymq.Health;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.inmemory.InMemoryBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mq receive URL TOPIC --group G}: prints messages, then acks each. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Receive from a topic as a member of a group; print each message, then ack it.")
final class ReceiveCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL")
    String url;

    @Parameters(index = "1", paramLabel = "TOPIC")
    String topic;

    @Option(names = {"-g", "--group"}, required = true, description = "the group to receive as a member of")
    String group;

    @Option(names = {"-n", "--count"}, description = "stop after N messages (default: when none came for --timeout)")
    int count = Integer.MAX_VALUE;

    @Option(names = "--from", paramLabel = "earliest|latest|TIME", description = StartPositions.DESCRIPTION)
    String from = "latest";

    @Option(names = "--timeout", description = "stop when nothing came for this long, e.g. 5s (default: ${DEFAULT-VALUE})")
    String timeout = "5s";

    @Option(names = "--format", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Format format = Format.text;

    @Option(names = "--ack-timeout", description = "how long a received message may stay unacked before the group may "
            + "deliver it again, e.g. 30s (default: the backend's)")
    String ackTimeout;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new Main.UsageError("--count must be at least 1: " + count);
        }
        Duration idle = Durations.parse("--timeout", timeout);
        StartPosition start = StartPositions.parse("--from", from);
        PrintWriter out = spec.commandLine().getOut();
        int received = 0;
        try (MessagingClient client = Messaging.connect(url)) {
            warnIfNothingCanCome(client);
            ConsumerOptions.Builder builder = ConsumerOptions.builder(topic, group)
                    .startPosition(start);
            if (ackTimeout != null) {
                builder.ackTimeout(Durations.parse("--ack-timeout", ackTimeout));
            }
            ConsumerOptions options = builder.build();
            boolean counts = client.capabilities().has(Capability.DELIVERY_COUNT);
            try (Consumer consumer = client.consumer(options)) {
                while (received < count) {
                    Optional<Delivery> d;
                    try {
                        d = consumer.receive(idle);
                    } catch (ConnectionException e) {
                        throw new ConnectionException(e.getMessage() + " (" + received + " message(s) received and acked before)", e);
                    }
                    if (d.isEmpty()) {
                        // nothing came: say so only if the broker could have sent something
                        Health h = client.health();
                        if (!h.usable()) {
                            throw new ConnectionException("nothing received for " + timeout + " and the connection is "
                                    + h.state().name().toLowerCase(java.util.Locale.ROOT) + " since " + h.since() + ": " + h.detail()
                                    + " (" + received + " message(s) received and acked before)", null);
                        }
                        break;
                    }
                    out.println(format == Format.json ? json(d.get(), counts) : text(d.get()));
                    out.flush();
                    d.get().ack().join();
                    received++;
                }
            }
        }
        spec.commandLine().getErr().printf("received and acked %d message(s)%n", received);
        return 0;
    }

    /**
     * {@code mem:} is a broker inside this process: a message another {@code mq send} sent went into that
     * process's own broker and ended with it. When the topic was never sent to in this process, say so
     * rather than wait and print nothing.
     */
    private void warnIfNothingCanCome(MessagingClient client) {
        if (!"mem".equals(client.provider()) || client.unwrap(InMemoryBroker.class).topicNames().contains(topic)) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("mq: warning: %s is a broker inside this mq process and nothing was sent to '%s' in it: what another mq command "
                + "sent went to that command's own in-memory broker and ended with it, so nothing can come here. To send and receive "
                + "with separate commands, use a real broker (mq broker start redis prints its URL)%n", url, topic);
        err.flush();
    }

    private static String text(Delivery d) {
        Message m = d.message();
        String payload = utf8(m.payload());
        return payload != null ? payload : "(" + m.payloadSize() + " binary bytes) " + Base64.getEncoder().encodeToString(m.payload());
    }

    static String json(Delivery d, boolean withDeliveryCount) {
        Message m = d.message();
        StringBuilder b = new StringBuilder("{");
        b.append("\"id\":").append(Json.string(m.id()));
        if (m.hasBinaryKey()) {
            b.append(",\"key\":").append(Json.string(Base64.getEncoder().encodeToString(m.keyBytes())))
                    .append(",\"keyEncoding\":\"base64\"");
        } else {
            b.append(",\"key\":").append(Json.string(m.key()));
        }
        b.append(",\"headers\":{");
        boolean first = true;
        List<String> base64 = new ArrayList<>();
        // a name that occurs more than once (Kafka, NATS) has an array of its values, in order
        Map<String, List<byte[]>> byName = new java.util.LinkedHashMap<>();
        m.headerFields().forEach(h -> byName.computeIfAbsent(h.getKey(), n -> new ArrayList<>()).add(h.getValue()));
        for (Map.Entry<String, List<byte[]>> h : byName.entrySet()) {
            boolean binary = h.getValue().stream().anyMatch(v -> v != null && utf8(v) == null);
            if (binary) {
                base64.add(h.getKey());
            }
            List<String> values = new ArrayList<>();
            for (byte[] v : h.getValue()) {
                values.add(v == null ? "null" : Json.string(binary ? Base64.getEncoder().encodeToString(v) : utf8(v)));
            }
            b.append(first ? "" : ",").append(Json.string(h.getKey())).append(':')
                    .append(values.size() == 1 ? values.get(0) : "[" + String.join(",", values) + "]");
            first = false;
        }
        b.append('}');
        if (!base64.isEmpty()) {
            b.append(",\"headerEncodings\":{");
            for (int i = 0; i < base64.size(); i++) {
                b.append(i == 0 ? "" : ",").append(Json.string(base64.get(i))).append(":\"base64\"");
            }
            b.append('}');
        }
        String text = utf8(m.payload());
        if (text != null) {
            b.append(",\"payload\":").append(Json.string(text)).append(",\"payloadEncoding\":\"utf-8\"");
        } else {
            b.append(",\"payload\":").append(Json.string(Base64.getEncoder().encodeToString(m.payload())))
                    .append(",\"payloadEncoding\":\"base64\"");
        }
        b.append(",\"timestamp\":").append(Json.string(m.timestamp() == null ? null : m.timestamp().toString()));
        b.append(",\"deliveryCount\":").append(withDeliveryCount ? Integer.toString(d.deliveryCount()) : "null");
        return b.append('}').toString();
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
