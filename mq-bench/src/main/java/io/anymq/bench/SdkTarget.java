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

/** anymq itself: a producer per sender, a push subscription (handler returns, core acks) per consumer. */
final class SdkTarget implements BenchTarget {
    private final MessagingClient client;
    private final boolean countsDeliveries;

    SdkTarget(String url, List<io.anymq.MessagingInterceptor> interceptors) {
        this.client = Messaging.connect(MessagingConfig.builder().environment(System.getenv()).url(url)
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
                SubscribeOptions.concurrency(1));
        return () -> {
            s.close();
            consumer.close();
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
