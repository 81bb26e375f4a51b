package io.anymq.bench;

import io.anymq.ConfigurationException;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MqUrl;
import io.anymq.inmemory.InMemoryBroker;

/** The native baseline for a URL's backend. Each backend adds its own here as it lands. */
final class NativeTargets {
    private NativeTargets() {
    }

    private static BenchTarget nats(String url, boolean metadata) {
        try {
            return new NatsNativeTarget(url, metadata);
        } catch (Exception e) {
            throw new io.anymq.ConnectionException("jnats could not connect to " + io.anymq.Redaction.url(url) + ": " + e.getMessage(), e);
        }
    }

    private static BenchTarget rabbitmq(String url, boolean metadata) {
        try {
            return new RabbitMqNativeTarget(url, metadata);
        } catch (Exception e) {
            throw new io.anymq.ConnectionException("amqp-client could not connect to " + io.anymq.Redaction.url(url) + ": " + e.getMessage(), e);
        }
    }

    private static BenchTarget pulsar(String url, boolean metadata) {
        try {
            return new PulsarNativeTarget(url, metadata);
        } catch (Exception e) {
            throw new io.anymq.ConnectionException("pulsar-client could not connect to " + io.anymq.Redaction.url(url) + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param metadata whether the baseline also carries what anymq's mapping writes for a message sent
     *                 without id or timestamp (where that mapping writes anything)
     */
    static BenchTarget forUrl(String url, boolean metadata) {
        String scheme = MqUrl.parse(url).scheme();
        return switch (scheme) {
            case "mem" -> new QueueHandOffTarget(memTopicCapacity(url));
            case "nats" -> nats(url, metadata);
            case "redis", "rediss" -> switch (MqUrl.parse(url).query().getOrDefault("mode", "stream")) {
                case "list" -> new RedisQueueNativeTarget(url, false);
                case "zset" -> new RedisQueueNativeTarget(url, true);
                default -> new RedisNativeTarget(url);
            };
            case "kafka" -> new KafkaNativeTarget(url);
            case "amqp", "amqps" -> rabbitmq(url, metadata);
            case "pulsar", "pulsar+ssl" -> pulsar(url, metadata);
            default -> throw new ConfigurationException("no native baseline for scheme '" + scheme
                    + "' yet; available: mem (ArrayBlockingQueue hand-off), nats (jnats), redis (lettuce), kafka (kafka-clients), amqp (amqp-client), pulsar (pulsar-client)");
        };
    }

    /** How many messages a topic of this {@code mem:} URL holds, so that the baseline buffers as much. */
    private static int memTopicCapacity(String url) {
        try (MessagingClient client = Messaging.connect(url)) {
            return client.unwrap(InMemoryBroker.class).capacity();
        }
    }
}
