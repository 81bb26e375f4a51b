package io.anymq.bench;

import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * Plain jnats doing what the SDK does, the way the jnats documentation recommends: core NATS
 * publishes and a dispatcher in a queue group; JetStream {@code publishAsync} and the simplified
 * consume API on a durable pull consumer with explicit acks, on a file-stored stream per topic.
 */
final class NatsNativeTarget implements BenchTarget {
    private final Connection connection;
    private final boolean jetStream;
    /** Carry what anymq writes for an id-less message: core its id as the reply subject, JetStream an anymq-timestamp header. */
    private final boolean metadata;

    /** Deliveries a JetStream consumer handles at once: above 1, on a pool of handler threads that ack after the handler. */
    private final int concurrency;
    /**
     * The bytes one JetStream consumer's pulls ask for: the same share of 32 MiB for all consumers of the connection as
     * anymq's {@code pull-max-bytes} gives (jnats' default asks 500 messages whatever their size: four consumers of 64 KiB
     * messages pass nats-server's max_pending of 64 MB, and the server closes the connection).
     */
    private final long consumeBytes;

    NatsNativeTarget(String url, boolean metadata, int concurrency, int consumers) throws Exception {
        this.metadata = metadata;
        this.concurrency = concurrency;
        MessagingConfig config = MessagingConfig.of(url);
        this.jetStream = config.getBoolean("jetstream", false);
        MqUrl.HostPort hp = config.url().firstHost("127.0.0.1", 4222);
        Options.Builder b = new Options.Builder().server("nats://" + hp.host() + ":" + hp.portOr(4222));
        if (config.url().user() != null) {
            b.userInfo(config.url().user(), config.url().password());
        }
        this.connection = Nats.connect(b.build());
        this.consumeBytes = Math.max(32L * 1024 * 1024 / Math.max(1, consumers), connection.getMaxPayload() + 64 * 1024);
    }

    /** JetStream runs the concurrency itself; core NATS (no acks) takes the runner's hand-off. */
    @Override
    public boolean runsConcurrency() {
        return jetStream;
    }

    @Override
    public String name() {
        return (jetStream ? "jnats-jetstream" : "jnats") + (metadata ? "+meta" : "");
    }

    private static String stream(String topic) {
        return "native_" + topic.replace("_", "__").replace(".", "_d");
    }

    @Override
    public void prepare(List<String> topics) throws Exception {
        if (jetStream) {
            for (String t : topics) {
                connection.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream(t)).subjects(t)
                        .storageType(StorageType.File).build());
            }
        }
    }

    @Override
    public Sender sender(String topic) throws Exception {
        JetStream js = jetStream ? connection.jetStream() : null;
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                if (js != null) {
                    Headers h = null;
                    if (metadata) {
                        h = new Headers();
                        h.put("anymq-timestamp", Long.toString(System.currentTimeMillis()));
                    }
                    js.publishAsync(topic, h, payload).whenComplete((ack, e) -> confirm.done(e));
                } else {
                    // core: anymq sends an id-less message's generated id as the reply subject (mq-nats README)
                    connection.publish(topic, metadata ? "_mq." + Payloads.id26() : null, payload);
                    confirm.done(null);
                }
            }

            @Override
            public void flush() throws Exception {
                connection.flush(Duration.ofSeconds(10));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        if (!jetStream) {
            Dispatcher d = connection.createDispatcher(m -> sink.received(ByteBuffer.wrap(m.getData()), false));
            d.subscribe(topic, group);
            connection.flush(Duration.ofSeconds(10));
            return () -> connection.closeDispatcher(d);
        }
        Handlers.Pool pool = concurrency > 1 ? new Handlers.Pool(concurrency, "jnats-handler") : null;
        MessageConsumer mc = connection.getStreamContext(stream(topic))
                .createOrUpdateConsumer(ConsumerConfiguration.builder().durable(group.replace(".", "_d")).filterSubject(topic)
                        .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.New).build())
                .consume(ConsumeOptions.builder().batchSize(ConsumeOptions.DEFAULT_MESSAGE_COUNT).batchBytes(consumeBytes).build(), m -> {
                    Runnable handleThenAck = () -> {
                        sink.received(ByteBuffer.wrap(m.getData()), m.metaData().deliveredCount() > 1);
                        m.ack();
                    };
                    if (pool == null) {
                        handleThenAck.run();
                    } else {
                        pool.submit(handleThenAck);
                    }
                });
        return () -> {
            mc.stop();
            if (pool != null) {
                pool.close();
            }
        };
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
