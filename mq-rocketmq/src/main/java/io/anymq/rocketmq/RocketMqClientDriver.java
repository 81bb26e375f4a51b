package io.anymq.rocketmq;

import io.anymq.Capabilities;
import io.anymq.ConfigurationException;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

import java.time.Duration;
import java.util.Map;

/**
 * One RocketMQ connection: one native producer shared by every SDK producer (it sends to any topic),
 * a SimpleConsumer per SDK consumer, and the admin path for topics and groups (unless auto-create is off).
 */
final class RocketMqClientDriver implements ClientDriver {
    private final RocketMqSettings settings;
    private final ClientServiceProvider provider;
    private final ClientConfiguration configuration;
    private final RocketMqAdmin admin;
    private final Capabilities capabilities;
    private volatile Producer producer;
    private final io.anymq.spi.ConnectionState state;
    private final ProxyReachability reachability;

    RocketMqClientDriver(RocketMqSettings settings, ClientServiceProvider provider, ClientConfiguration configuration, RocketMqAdmin admin) {
        this.settings = settings;
        this.provider = provider;
        this.configuration = configuration;
        this.admin = admin;
        this.capabilities = RocketMqProvider.capabilities(settings);
        this.state = new io.anymq.spi.ConnectionState("RocketMQ proxy at " + settings.endpoint());
        this.reachability = new ProxyReachability(settings.endpoint(), state);
    }

    @Override
    public io.anymq.spi.ConnectionState connectionState() {
        return state;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        topic(options.topic());
        return new RocketMqProducerDriver(options.topic(), provider, producer(), settings.sendTimeout(), settings.fifo());
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        Duration ackTimeout = options.ackTimeout() != null ? options.ackTimeout() : settings.defaultAckTimeout();
        if (ackTimeout.compareTo(settings.minAckTimeout()) < 0) {
            throw new ConfigurationException("RocketMQ keeps a received message invisible for the ack timeout, and the proxy refuses less than "
                    + settings.minAckTimeout().toMillis() + " ms (its minInvisibleTimeMillsForRecv; option min-ack-timeout): ack timeout "
                    + ackTimeout.toMillis() + " ms");
        }
        if (ackTimeout.compareTo(settings.maxAckTimeout()) > 0) {
            throw new ConfigurationException("RocketMQ keeps a received message invisible for the ack timeout, and the proxy refuses more than "
                    + settings.maxAckTimeout() + " (its maxInvisibleTimeMills; option max-ack-timeout): ack timeout " + ackTimeout);
        }
        topic(options.topic());
        // a member that asks for key order makes its group a FIFO group (the core refuses keyOrdered outside mode=fifo)
        boolean fifoGroup = admin != null && admin.ensureGroup(options.topic(), options.group(), options.startPosition(),
                options.keyOrdered());
        try {
            SimpleConsumer consumer = provider.newSimpleConsumerBuilder().setClientConfiguration(configuration)
                    .setConsumerGroup(options.group()).setAwaitDuration(settings.awaitDuration())
                    .setSubscriptionExpressions(Map.of(options.topic(), FilterExpression.SUB_ALL)).build();
            return new RocketMqConsumerDriver(consumer, ackTimeout, fifoGroup ? 1 : RocketMqConsumerDriver.MAX_BATCH);
        } catch (Exception e) {
            throw RocketMqErrors.map(e, "RocketMQ refused a consumer of group '" + options.group() + "' on topic '" + options.topic() + "'");
        }
    }

    private void topic(String topic) {
        if (admin == null) {
            return; // the native client reports a missing topic (TOPIC_NOT_FOUND) when it first routes it
        }
        admin.ensureTopic(topic);
    }

    /** The connection's native producer, made on first use. */
    private Producer producer() {
        Producer p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    try {
                        p = provider.newProducerBuilder().setClientConfiguration(configuration).setMaxAttempts(settings.maxAttempts()).build();
                    } catch (Exception e) {
                        throw RocketMqErrors.map(e, "RocketMQ refused the producer at " + settings.endpoint());
                    }
                    producer = p;
                }
            }
        }
        return p;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type == Producer.class) {
            return type.cast(producer());
        }
        if (type == ClientConfiguration.class) {
            return type.cast(configuration);
        }
        if (type == ClientServiceProvider.class) {
            return type.cast(provider);
        }
        if (type == DefaultMQAdminExt.class && admin != null) {
            return type.cast(admin.nativeAdmin());
        }
        return ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        reachability.close();
        Producer p = producer;
        if (p != null) {
            NativeClose.bounded(p, "producer");
        }
        if (admin != null) {
            admin.close();
        }
    }
}
