package io.anymq.bench.peer;

import io.anymq.ConfigurationException;
import io.anymq.bench.BenchTarget;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.support.ErrorMessage;
import org.springframework.messaging.support.MessageBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * mq bench's workload through Spring Cloud Stream, as its documentation shows it: {@link StreamBridge} sends to an
 * output binding of the run's topic (declared, so made at start-up), a functional {@code Consumer<Message<byte[]>>} binding ({@code benchSink-in-0}, concurrency 1) of the
 * group receives, and the binder acknowledges when the function returns. One Spring Boot application context per run
 * (bindings are configuration: the run's topic is known only when the run starts); it starts in {@link #consume},
 * before the run's clock, and closes with the target. What each binder is set to is {@link PeerBindings}'.
 *
 * <p>Confirms: on RabbitMQ each send carries a {@link CorrelationData} in the {@code amqp_publishConfirmCorrelation}
 * header (the binder's {@code useConfirmHeader}) whose future the publisher confirm completes; on Kafka the binder sends
 * each acknowledged record to the {@code recordMetadataChannel} and each failed one to the error channel. Either way a
 * confirm is matched to its send by the payload's bytes (each payload of a run is unique: it starts with its sequence
 * number), so nothing is added to the message for the bench's sake.
 */
final class SpringCloudStreamTarget implements BenchTarget {
    /** The bean name of the functional consumer; its input binding is {@code benchSink-in-0}. */
    static final String SINK = "benchSink";
    /** The bean name of the Kafka binder's recordMetadataChannel. */
    static final String SEND_RESULTS = "benchSendResults";

    private final PeerBindings bindings;
    private final Map<ByteBuffer, Confirm> pending = new ConcurrentHashMap<>();
    private List<String> topics = List.of();
    private ConfigurableApplicationContext context;

    SpringCloudStreamTarget(String url) {
        this.bindings = PeerBindings.forUrl(url);
    }

    @Override
    public String name() {
        return "spring-cloud-stream-" + bindings.binder();
    }

    @Override
    public void prepare(List<String> topics) {
        // the binders provision what they bind (the Kafka binder a topic of minPartitionCount partitions, the Rabbit
        // binder an exchange and the group's queue) when the context starts
        this.topics = List.copyOf(topics);
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        if (context != null) {
            throw new ConfigurationException("the Spring Cloud Stream side runs one consumer (one binding, concurrency 1): "
                    + "run the peer bench with consumers=1");
        }
        CountDownLatch assigned = new CountDownLatch(bindings.binder().equals("kafka") ? 1 : 0);
        context = new SpringApplicationBuilder(PeerApplication.class)
                .properties(bindings.properties(topic, group, topics))
                .initializers(ctx -> register((GenericApplicationContext) ctx, sink, assigned))
                .logStartupInfo(false)
                .run();
        if (bindings.binder().equals("kafka")) {
            context.getBean(SEND_RESULTS, SubscribableChannel.class).subscribe(m -> confirmed(m.getPayload(), null));
        }
        context.getBean("errorChannel", SubscribableChannel.class).subscribe(m -> {
            if (m instanceof ErrorMessage error && error.getPayload() instanceof MessagingException e && e.getFailedMessage() != null) {
                confirmed(e.getFailedMessage().getPayload(), e);
            }
        });
        // as the native Kafka baseline does: the run starts once the group has its partitions
        if (!assigned.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Kafka binder's consumer of group '" + group + "' got no partitions of '" + topic
                    + "' in 30 s");
        }
        return () -> {
        };
    }

    private static void register(GenericApplicationContext ctx, Sink sink, CountDownLatch assigned) {
        ctx.registerBean(SINK, MessageSink.class, () -> new MessageSink(sink));
        ctx.registerBean(SEND_RESULTS, DirectChannel.class, () -> new DirectChannel());
        ctx.registerBean(KafkaBindingRebalanceListener.class, () -> new KafkaBindingRebalanceListener() {
            @Override
            public void onPartitionsAssigned(String bindingName, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                             Collection<org.apache.kafka.common.TopicPartition> partitions, boolean initial) {
                if (!partitions.isEmpty()) {
                    assigned.countDown();
                }
            }
        });
    }

    private void confirmed(Object payload, Throwable error) {
        if (payload instanceof byte[] bytes) {
            Confirm c = pending.remove(ByteBuffer.wrap(bytes));
            if (c != null) {
                c.done(error);
            }
        }
    }

    @Override
    public Sender sender(String topic) {
        if (context == null) {
            throw new IllegalStateException("the Spring Cloud Stream side starts its application with its consumer: consume() first");
        }
        StreamBridge bridge = context.getBean(StreamBridge.class);
        int index = topics.indexOf(topic);
        if (index < 0) {
            throw new IllegalStateException("topic '" + topic + "' was not prepared");
        }
        String binding = PeerBindings.outputBinding(index);
        boolean rabbit = bindings.binder().equals("rabbit");
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                MessageBuilder<byte[]> m = MessageBuilder.withPayload(payload);
                if (key != null && !rabbit) {
                    // the record's key (on RabbitMQ a key routes nothing here: the group's queue takes every message,
                    // as the native baseline's fanout does)
                    m.setHeader(org.springframework.kafka.support.KafkaHeaders.KEY, key);
                }
                if (rabbit) {
                    CorrelationData correlation = new CorrelationData();
                    correlation.getFuture().whenComplete((c, e) -> confirm.done(e != null ? e
                            : c.isAck() ? null : new IOException("RabbitMQ refused the message: " + c.getReason())));
                    m.setHeader(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION, correlation);
                } else {
                    pending.put(ByteBuffer.wrap(payload), confirm);
                }
                if (!bridge.send(binding, m.build())) {
                    Confirm c = rabbit ? confirm : pending.remove(ByteBuffer.wrap(payload));
                    if (c != null) {
                        c.done(new IOException("StreamBridge did not send to '" + binding + "' ('" + topic + "')"));
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
        pending.clear();
    }

    /** The functional consumer the input binding calls; the binder acks when it returns. */
    static final class MessageSink implements Consumer<Message<byte[]>> {
        private final Sink sink;

        MessageSink(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void accept(Message<byte[]> message) {
            sink.received(ByteBuffer.wrap(message.getPayload()), Boolean.TRUE.equals(message.getHeaders().get(AmqpHeaders.REDELIVERED)));
        }
    }

    /** The application: auto-configuration (Spring Cloud Stream, the binders) and nothing else. */
    @SpringBootApplication(proxyBeanMethods = false)
    static class PeerApplication {
    }
}
