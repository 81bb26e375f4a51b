package io.anymq.bench;

import io.anymq.MqUrl;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Plain pulsar-client doing what mq-pulsar does, as a good Pulsar user would with the same promises:
 * a producer per sending thread batching by key with a 1 ms delay, confirmed by the broker's receipt;
 * a member of a durable subscription of the URL's type ({@code mode}: Shared by default, Key_Shared,
 * Failover) that receives into a queue as deep as the SDK's in-flight bound and acknowledges each
 * message with ack receipts (group time 1 ms), as the SDK does so that an ack future means the
 * broker has it. With {@code metadata}, each message also carries what anymq's mapping writes for a
 * message sent without id or timestamp: a 26-character id property and the event time. With the
 * workload's {@code partitionsPerTopic}, topics are made partitioned first through the admin REST API
 * (the URL's {@code admin-url}, else http://first-host:8080), as mq-pulsar does.
 */
final class PulsarNativeTarget implements BenchTarget {
    private final PulsarClient client;
    private final SubscriptionType type;
    private final boolean metadata;
    private final int partitions;
    private final String adminUrl;

    PulsarNativeTarget(String url, boolean metadata, int partitions) throws Exception {
        MqUrl u = MqUrl.parse(url);
        this.partitions = partitions;
        this.adminUrl = u.query().getOrDefault("admin-url", "http://" + u.firstHost("127.0.0.1", 6650).host() + ":8080");
        String hosts = u.hosts().stream().map(h -> h.host() + ":" + h.portOr(6650)).collect(Collectors.joining(","));
        this.client = PulsarClient.builder().serviceUrl((u.scheme().equals("pulsar+ssl") ? "pulsar+ssl://" : "pulsar://") + hosts).build();
        this.type = switch (u.query().getOrDefault("mode", "shared").toLowerCase(Locale.ROOT)) {
            case "key_shared" -> SubscriptionType.Key_Shared;
            case "failover" -> SubscriptionType.Failover;
            default -> SubscriptionType.Shared;
        };
        this.metadata = metadata;
    }

    private static String full(String topic) {
        return "persistent://public/default/" + topic;
    }

    @Override
    public String name() {
        return "pulsar-client-" + type.toString().toLowerCase(Locale.ROOT) + (metadata ? "+meta" : "");
    }

    @Override
    public void prepare(List<String> topics) throws Exception {
        // non-partitioned topics are created by the broker on first use, as mq-pulsar's default
        if (partitions == 0) {
            return;
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String t : topics) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(adminUrl + "/admin/v2/persistent/public/default/" + t + "/partitions"))
                    .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Integer.toString(partitions)))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2 && r.statusCode() != 409) {
                throw new IllegalStateException("creating partitioned topic " + t + " at " + adminUrl + ": HTTP " + r.statusCode() + " " + r.body());
            }
        }
    }

    @Override
    public Sender sender(String topic) throws Exception {
        Producer<byte[]> producer = client.newProducer().topic(full(topic)).enableBatching(true).batcherBuilder(BatcherBuilder.KEY_BASED)
                .batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS).blockIfQueueFull(true).create();
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                TypedMessageBuilder<byte[]> m = producer.newMessage().value(payload);
                if (key != null) {
                    m.key(key);
                }
                if (metadata) {
                    m.property("anymq-id", Payloads.id26()).eventTime(System.currentTimeMillis());
                }
                m.sendAsync().whenComplete((id, e) -> confirm.done(e));
            }

            @Override
            public void flush() throws Exception {
                producer.flush();
            }

            @Override
            public void close() throws Exception {
                producer.close();
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        Consumer<byte[]> consumer = client.newConsumer().topic(full(topic)).subscriptionName(group).subscriptionType(type)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).receiverQueueSize(BenchRunner.MAX_IN_FLIGHT)
                .acknowledgmentGroupTime(1, TimeUnit.MILLISECONDS).enableBatchIndexAcknowledgment(false).isAckReceiptEnabled(true)
                .subscribe();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Message<byte[]> m = consumer.receive(100, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        sink.received(ByteBuffer.wrap(m.getData()), m.getRedeliveryCount() > 0);
                        consumer.acknowledgeAsync(m.getMessageId());
                    }
                }
            } catch (Exception stop) {
                // closing
            }
        }, "pulsar-client-consumer");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            t.join(10_000);
            consumer.close();
        };
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
