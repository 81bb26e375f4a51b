package io.anymq.bench;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.SubscribeOptions;
import io.anymq.Subscription;

import java.util.List;

/**
 * anymq itself: a producer per sender, a push subscription (handler returns, core acks) per consumer with
 * the workload's concurrency; the workload's partitions go into the URL as the {@code partitions} option
 * where the backend has partitions.
 */
final class SdkTarget implements BenchTarget {
    private final MessagingClient client;
    private final boolean countsDeliveries;
    private final int concurrency;
    private final String url;

    SdkTarget(String url, List<io.anymq.MessagingInterceptor> interceptors, Workload w) {
        this.concurrency = w.concurrency();
        this.url = url;
        this.client = Messaging.connect(MessagingConfig.builder().environment(System.getenv()).url(withPartitions(url, w))
                .interceptors(interceptors).build());
        this.countsDeliveries = client.capabilities().has(Capability.DELIVERY_COUNT);
    }

    @Override
    public String name() {
        return "anymq";
    }

    @Override
    public void prepare(List<String> topics) {
        // producers and consumers create what they need
    }

    @Override
    public Sender sender(String topic) {
        Producer producer = client.producer(topic);
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                producer.send(Message.builder().payload(payload).key(key).build()).whenComplete((r, e) -> confirm.done(e));
            }

            @Override
            public void flush() {
                producer.flush();
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) {
        Consumer consumer = client.consumer(ConsumerOptions.builder(topic, group).maxInFlight(1024).build());
        Subscription s = consumer.subscribe(d -> sink.received(d.message().payloadBuffer(), countsDeliveries && d.deliveryCount() > 1),
                SubscribeOptions.concurrency(concurrency));
        return () -> {
            s.close();
            consumer.close();
        };
    }

    @Override
    public boolean runsConcurrency() {
        return true;
    }

    @Override
    public List<String> notes(Workload w) {
        return w.partitions() > 0 && !hasPartitions(url) ? List.of("partitionsPerTopic " + w.partitions() + ": not applicable on "
                + io.anymq.MqUrl.parse(url).scheme() + " (a topic is one queue or stream; the setting is ignored on both sides)") : List.of();
    }

    /** Through {@code MessagingClient.deleteTopic} where the backend declares {@code TOPIC_DELETION}. */
    @Override
    public void cleanUp(List<String> topics, List<String> groups) {
        if (client.capabilities().has(Capability.TOPIC_DELETION)) {
            for (String topic : topics) {
                client.deleteTopic(topic, groups);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Whether a URL's backend takes a {@code partitions} option (Kafka, Pulsar). */
    static boolean hasPartitions(String url) {
        String scheme = io.anymq.MqUrl.parse(url).scheme();
        return scheme.equals("kafka") || scheme.startsWith("pulsar");
    }

    /** The URL with the workload's partitions as its {@code partitions} option, where the backend has partitions. */
    static String withPartitions(String url, Workload w) {
        if (w.partitions() == 0 || !hasPartitions(url)) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "partitions=" + w.partitions();
    }
}
