package io.anymq.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Plain amqp-client doing what the SDK does, as a good amqp-client user would: a durable fanout
 * exchange per topic and a durable queue per group (quorum, or classic with
 * {@code queue-type=classic}, as the URL says), persistent messages published with asynchronous
 * publisher confirms on a channel per sending thread, and a push consumer with the same prefetch
 * as the SDK's consumer (1,024) acking each message.
 */
final class RabbitMqNativeTarget implements BenchTarget {
    private static final int PREFETCH = 1024;
    private final Connection connection;
    private final boolean quorum;

    /** Carry what anymq writes for an id-less message: message-id and timestamp properties. */
    private final boolean metadata;

    /** Deliveries a consumer handles at once: above 1, on a pool of handler threads that ack after the handler. */
    private final int concurrency;

    RabbitMqNativeTarget(String url, boolean metadata, int concurrency) throws Exception {
        this.metadata = metadata;
        this.concurrency = concurrency;
        MessagingConfig config = MessagingConfig.of(url);
        MqUrl u = config.url();
        boolean tls = u.scheme().equals("amqps");
        MqUrl.HostPort hp = u.firstHost("127.0.0.1", tls ? 5671 : 5672);
        ConnectionFactory cf = new ConnectionFactory();
        cf.setHost(hp.host());
        cf.setPort(hp.portOr(tls ? 5671 : 5672));
        if (u.user() != null) {
            cf.setUsername(u.user());
        }
        if (u.password() != null) {
            cf.setPassword(u.password());
        }
        cf.setVirtualHost(u.path().isEmpty() ? "/" : u.path());
        if (tls) {
            cf.useSslProtocol();
        }
        this.quorum = !config.get("queue-type", "quorum").equals("classic");
        this.connection = cf.newConnection("anymq-bench-native");
    }

    @Override
    public boolean runsConcurrency() {
        return true;
    }

    @Override
    public String name() {
        return (quorum ? "amqp-client-quorum" : "amqp-client-classic") + (metadata ? "+meta" : "");
    }

    private static String exchange(String topic) {
        return "native:" + topic;
    }

    @Override
    public void prepare(List<String> topics) throws Exception {
        Channel ch = connection.createChannel();
        for (String t : topics) {
            ch.exchangeDeclare(exchange(t), BuiltinExchangeType.FANOUT, true);
        }
        ch.close();
    }

    @Override
    public Sender sender(String topic) throws Exception {
        Channel ch = connection.createChannel(); // one channel per sending thread
        ch.confirmSelect();
        ConcurrentSkipListMap<Long, Confirm> outstanding = new ConcurrentSkipListMap<>();
        ch.addConfirmListener(new com.rabbitmq.client.ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                done(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                done(seq, multiple, new IOException("nack"));
            }

            private void done(long seq, boolean multiple, Throwable e) {
                if (multiple) {
                    ConcurrentNavigableMap<Long, Confirm> head = outstanding.headMap(seq, true);
                    head.values().forEach(c -> c.done(e));
                    head.clear();
                } else {
                    Confirm c = outstanding.remove(seq);
                    if (c != null) {
                        c.done(e);
                    }
                }
            }
        });
        String exchange = exchange(topic);
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) throws Exception {
                outstanding.put(ch.getNextPublishSeqNo(), confirm);
                AMQP.BasicProperties props = metadata
                        ? MessageProperties.PERSISTENT_BASIC.builder().messageId(Payloads.id26()).timestamp(new java.util.Date()).build()
                        : MessageProperties.PERSISTENT_BASIC;
                ch.basicPublish(exchange, key == null ? "" : key, props, payload);
            }

            @Override
            public void close() throws Exception {
                ch.close();
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        Channel ch = connection.createChannel();
        String queue = "native:" + topic + ":" + group;
        ch.queueDeclare(queue, true, false, false, Map.of("x-queue-type", quorum ? "quorum" : "classic"));
        ch.queueBind(queue, exchange(topic), "");
        ch.basicQos(PREFETCH);
        Handlers.Pool pool = concurrency > 1 ? new Handlers.Pool(concurrency, "amqp-client-handler") : null;
        String tag = ch.basicConsume(queue, false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
                if (pool == null) {
                    sink.received(ByteBuffer.wrap(body), envelope.isRedeliver());
                    ch.basicAck(envelope.getDeliveryTag(), false);
                    return;
                }
                pool.submit(() -> {
                    sink.received(ByteBuffer.wrap(body), envelope.isRedeliver());
                    try {
                        ch.basicAck(envelope.getDeliveryTag(), false);
                    } catch (IOException | com.rabbitmq.client.AlreadyClosedException closing) {
                        // the consumer is closing: the broker redelivers
                    }
                });
            }
        });
        return () -> {
            ch.basicCancel(tag);
            if (pool != null) {
                pool.close();
            }
            ch.close();
        };
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
