package io.anymq.bench.peer;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Spring Cloud Stream configuration of one run, from mq bench's URL: which binder, where the broker is, and the
 * settings that make the binder do what anymq and the native client do (the README's table says which are the
 * binder's defaults and which are set here, and why).
 *
 * @param binder       {@code kafka} or {@code rabbit}
 * @param connection   the binder's connection properties (no secret is ever printed: {@link #toString()} leaves them out)
 * @param quorum       RabbitMQ: the group's queue is a quorum queue (anymq's default; {@code queue-type=classic} in the URL for classic)
 */
record PeerBindings(String binder, Map<String, String> connection, boolean quorum) {
    /** The SDK's (and the native baselines') consumer window: Kafka's max.poll.records, RabbitMQ's prefetch. */
    static final int IN_FLIGHT = io.anymq.ProducerOptions.DEFAULT_MAX_IN_FLIGHT;
    /** kafka-clients 4's default linger.ms, which anymq's producer and the native one run with; the binder's default is 0. */
    static final int KAFKA_LINGER_MS = 5;
    /** The Rabbit side's channel pool: each channel carries one unconfirmed message at a time. */
    static final int RABBIT_CHANNELS = 64;
    /** anymq's Kafka topics (mode=ordered) and the native baseline's: 6 partitions. */
    static final int KAFKA_PARTITIONS = 6;

    PeerBindings {
        connection = Map.copyOf(connection);
    }

    static PeerBindings forUrl(String url) {
        MessagingConfig config = MessagingConfig.of(url);
        MqUrl u = config.url();
        Map<String, String> c = new LinkedHashMap<>();
        switch (u.scheme()) {
            case "kafka" -> {
                c.put("spring.cloud.stream.kafka.binder.brokers",
                        u.hosts().stream().map(h -> h.host() + ":" + h.portOr(9092)).collect(Collectors.joining(",")));
                return new PeerBindings("kafka", c, false);
            }
            case "amqp" -> {
                MqUrl.HostPort hp = u.firstHost("127.0.0.1", 5672);
                c.put("spring.rabbitmq.host", hp.host());
                c.put("spring.rabbitmq.port", Integer.toString(hp.portOr(5672)));
                if (u.user() != null) {
                    c.put("spring.rabbitmq.username", u.user());
                }
                if (u.password() != null) {
                    c.put("spring.rabbitmq.password", u.password());
                }
                c.put("spring.rabbitmq.virtual-host", u.path().isEmpty() ? "/" : u.path());
                return new PeerBindings("rabbit", c, !config.get("queue-type", "quorum").equals("classic"));
            }
            default -> throw new ConfigurationException("the Spring Cloud Stream peer bench runs on kafka:// (Kafka binder) and amqp:// "
                    + "(RabbitMQ binder) URLs, not '" + u.scheme() + "'");
        }
    }

    /**
     * The application's properties for a run: the consumer binding {@code benchSink-in-0} on {@code topic} in
     * {@code group}, and an output binding per topic of the run ({@link #outputBinding}) that StreamBridge sends to.
     */
    Map<String, Object> properties(String topic, String group, List<String> topics) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.main.web-application-type", "none"); // the Rabbit binder brings WebFlux along
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "WARN");
        p.put("spring.cloud.function.definition", SpringCloudStreamTarget.SINK);
        p.put("spring.cloud.stream.default-binder", binder);
        String in = "spring.cloud.stream.bindings." + SpringCloudStreamTarget.SINK + "-in-0.";
        p.put(in + "destination", topic);
        p.put(in + "group", group);
        p.put(in + "consumer.concurrency", "1");
        // the output bindings StreamBridge sends to are declared (spring.cloud.stream.output-bindings), so that the
        // context makes them when it starts, before the run's clock: a binding StreamBridge makes at the first send to
        // a destination (provisioning, a producer, its metadata) took the whole warm-up of a short run on Kafka
        p.put("spring.cloud.stream.output-bindings", String.join(";", outputNames(topics)));
        for (int i = 0; i < topics.size(); i++) {
            String b = outputBinding(i);
            p.put("spring.cloud.stream.bindings." + b + ".destination", topics.get(i));
            // the payload is bytes: no conversion (StreamBridge's default content type is JSON)
            p.put("spring.cloud.stream.bindings." + b + ".content-type", "application/octet-stream");
        }
        p.putAll(connection);
        if (binder.equals("kafka")) {
            p.put("spring.cloud.stream.kafka.binder.required-acks", "all"); // the binder's default is 1
            p.put("spring.cloud.stream.kafka.binder.min-partition-count", Integer.toString(KAFKA_PARTITIONS));
            p.put("spring.cloud.stream.kafka.binder.auto-add-partitions", "true");
            String kin = "spring.cloud.stream.kafka.bindings." + SpringCloudStreamTarget.SINK + "-in-0.consumer.";
            p.put(kin + "configuration.max.poll.records", Integer.toString(IN_FLIGHT));
            for (int i = 0; i < topics.size(); i++) {
                String b = outputBinding(i);
                String out = "spring.cloud.stream.kafka.bindings." + b + ".producer.";
                p.put(out + "record-metadata-channel", SpringCloudStreamTarget.SEND_RESULTS);
                p.put(out + "batch-timeout", Integer.toString(KAFKA_LINGER_MS));
                p.put("spring.cloud.stream.bindings." + b + ".producer.error-channel-enabled", "true");
            }
        } else {
            p.put("spring.rabbitmq.publisher-confirm-type", "correlated");
            // a channel with unconfirmed messages goes back to the cache only once they are confirmed, so each message
            // in flight holds a channel: with the default cache (25 idle channels, no limit) a fast sender opens a
            // channel (an RPC to the broker) for nearly every send and closes one after (80 messages/s here); a bounded
            // pool (a checkout timeout makes the cache size a limit) reuses RABBIT_CHANNELS channels instead
            p.put("spring.rabbitmq.cache.channel.size", Integer.toString(RABBIT_CHANNELS));
            p.put("spring.rabbitmq.cache.channel.checkout-timeout", "30s");
            String rin = "spring.cloud.stream.rabbit.bindings." + SpringCloudStreamTarget.SINK + "-in-0.consumer.";
            p.put(rin + "prefetch", Integer.toString(IN_FLIGHT)); // the binder's default is 1
            p.put(rin + "quorum.enabled", Boolean.toString(quorum));
            for (int i = 0; i < topics.size(); i++) {
                p.put("spring.cloud.stream.rabbit.bindings." + outputBinding(i) + ".producer.use-confirm-header", "true");
            }
        }
        return p;
    }

    /** The output binding of the run's i-th topic: {@code benchOut<i>-out-0}. */
    static String outputBinding(int i) {
        return "benchOut" + i + "-out-0";
    }

    private static List<String> outputNames(List<String> topics) {
        return java.util.stream.IntStream.range(0, topics.size()).mapToObj(i -> "benchOut" + i).toList();
    }

    @Override
    public String toString() {
        return "PeerBindings[" + binder + "]";
    }
}
