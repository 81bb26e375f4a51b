package io.anymq.redis;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.ProducerDriver;

/**
 * One lettuce client in one mode: a shared connection for sends, acks and management; one more per
 * consumer (it blocks).
 */
final class RedisClientDriver implements ClientDriver {
    private final RedisSettings settings;
    private final RedisConnections.Connected redis;
    private final Capabilities capabilities;

    RedisClientDriver(RedisSettings settings, RedisConnections.Connected redis) {
        this.settings = settings;
        this.redis = redis;
        this.capabilities = new Capabilities(RedisProvider.capabilities(settings.mode(), redis.persistent()), settings.maxPayload());
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        if (settings.mode() == RedisMode.STREAM) {
            return new StreamProducerDriver(redis.async(), options.topic(), settings);
        }
        return new QueueProducerDriver(redis, settings, options.topic());
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        if (settings.mode() == RedisMode.STREAM) {
            return new StreamConsumerDriver(redis, options, settings);
        }
        return new QueueConsumerDriver(redis, settings.mode(), options, settings);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(redis.client())) {
            return type.cast(redis.client());
        }
        if (type.isInstance(redis.connection())) {
            return type.cast(redis.connection());
        }
        return ClientDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        redis.closed().set(true);
        redis.connection().close();
        redis.client().shutdown();
    }
}
