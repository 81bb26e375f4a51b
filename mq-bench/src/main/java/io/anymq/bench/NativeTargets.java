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

    /** A native client's target, connected; a failure to connect is a ConnectionException naming the client. */
    private interface Connect {
        BenchTarget open() throws Exception;
    }

    private static BenchTarget connect(String client, String url, Connect connect) {
        try {
            return connect.open();
        } catch (Exception e) {
            throw new io.anymq.ConnectionException(client + " could not connect to " + io.anymq.Redaction.url(url) + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param metadata whether the baseline also carries what anymq's mapping writes for a message sent
     *                 without id or timestamp (where that mapping writes anything)
     * @param w        the workload (partitions, concurrency where a baseline uses them)
     */
    static BenchTarget forUrl(String url, boolean metadata, Workload w) {
        String scheme = MqUrl.parse(url).scheme();
        return switch (scheme) {
            case "mem" -> new QueueHandOffTarget(memTopicCapacity(url), w.concurrency());
            case "nats" -> connect("jnats", url, () -> new NatsNativeTarget(url, metadata, w.concurrency(), w.topics() * w.subscriptions() * w.consumers()));
            case "redis", "rediss" -> switch (MqUrl.parse(url).query().getOrDefault("mode", "stream")) {
                case "list" -> new RedisQueueNativeTarget(url, false);
                case "zset" -> new RedisQueueNativeTarget(url, true);
                default -> new RedisNativeTarget(url, w.concurrency());
            };
            case "redis-cluster", "rediss-cluster" -> switch (MqUrl.parse(url).query().getOrDefault("mode", "stream")) {
                case "stream" -> new RedisNativeTarget(url, w.concurrency());
                default -> throw new ConfigurationException("no native baseline for mode=" + MqUrl.parse(url).query().get("mode")
                        + " on a Redis Cluster yet (the Streams mode has one)");
            };
            case "kafka" -> new KafkaNativeTarget(url, w.partitions() > 0 ? w.partitions() : 6);
            case "amqp", "amqps" -> connect("amqp-client", url, () -> new RabbitMqNativeTarget(url, metadata, w.concurrency()));
            case "activemq", "artemis" -> connect("the JMS client", url, () -> new JmsNativeTarget(url, metadata));
            case "hornetq" -> connect("artemis-core-client (HornetQ protocol)", url, () -> new HornetQNativeTarget(url, metadata));
            case "memcached" -> connect("xmemcached", url, () -> new MemcachedNativeTarget(url));
            case "pulsar", "pulsar+ssl" -> connect("pulsar-client", url, () -> new PulsarNativeTarget(url, metadata, w.partitions()));
            case "rocketmq" -> connect("rocketmq-client-java", url, () -> new RocketMqNativeTarget(url, metadata));
            default -> throw new ConfigurationException("no native baseline for scheme '" + scheme
                    + "' yet; available: mem (ArrayBlockingQueue hand-off), nats (jnats), redis and redis-cluster (lettuce), kafka (kafka-clients), amqp (amqp-client), "
                    + "activemq (activemq-client), artemis (artemis-jakarta-client), "
                    + "hornetq (artemis-core-client with the HornetQ protocol), memcached (xmemcached), pulsar (pulsar-client), "
                    + "rocketmq (rocketmq-client-java)");
        };
    }

    /** How many messages a topic of this {@code mem:} URL holds, so that the baseline buffers as much. */
    private static int memTopicCapacity(String url) {
        try (MessagingClient client = Messaging.connect(url)) {
            return client.unwrap(InMemoryBroker.class).capacity();
        }
    }
}
