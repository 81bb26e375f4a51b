package io.anymq.redis;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.ProducerOptions;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConnectionState;
import io.anymq.spi.Failures;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
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
    /** Fed by lettuce's event bus (see {@link #onEvent}). */
    private final ConnectionState state;
    private final reactor.core.Disposable events;
    /** On a standalone server (where TRANSACTIONS is declared); else null. */
    private final RedisTransactions transactions;
    /** With {@code wait-replicas}: the producers' connection and their {@code WAIT}; else null. */
    private final ReplicaWait wait;

    RedisClientDriver(RedisSettings settings, RedisConnections.Connected redis, String where) {
        try {
            this.wait = ReplicaWait.of(settings, redis.client());
        } catch (RuntimeException e) {
            redis.connection().close();
            RedisConnections.shutdown(redis.client());
            throw new io.anymq.ConnectionException("cannot open the producers' connection (option wait-replicas) to " + where
                    + ": " + Failures.describe(e), e);
        }
        this.settings = settings;
        this.redis = redis;
        this.capabilities = new Capabilities(RedisProvider.capabilities(settings.mode(), redis.persistent(), redis.cluster()), settings.maxPayload());
        this.state = new ConnectionState(where);
        this.events = redis.client().getResources().eventBus().get().subscribe(this::onEvent);
        this.transactions = capabilities.has(io.anymq.Capability.TRANSACTIONS) ? new RedisTransactions(settings.mode(), redis.async(), settings) : null;
    }

    /**
     * lettuce's connection events, for every connection of this client (the shared one and each
     * consumer's): a connection activated means the server answers (CONNECTED); a failed reconnect
     * means it does not (RECONNECTING: lettuce reconnects for ever); a connection that went down is a
     * loss when the shared connection is down (a consumer closing its own connection is not).
     */
    private void onEvent(Event e) {
        if (redis.closed().get()) {
            return;
        }
        if (e instanceof ConnectionActivatedEvent) {
            state.connected();
        } else if (e instanceof ReconnectFailedEvent failed) {
            state.reconnecting("reconnect attempt " + (failed.getAttempt() + 1) + " failed: " + Failures.describe(failed.getCause()));
        } else if ((e instanceof ConnectionDeactivatedEvent || e instanceof DisconnectedEvent || e instanceof ReconnectAttemptEvent)
                && !redis.connection().isOpen()) {
            state.reconnecting("the connection to the server was lost; lettuce reconnects");
        }
    }

    @Override
    public ConnectionState connectionState() {
        return state;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        if (settings.mode() == RedisMode.STREAM) {
            return new StreamProducerDriver(redis.async(), options.topic(), settings, wait);
        }
        return new QueueProducerDriver(redis, settings, options.topic(), wait);
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        if (settings.mode() == RedisMode.STREAM) {
            return new StreamConsumerDriver(redis, options, settings);
        }
        return new QueueConsumerDriver(redis, settings.mode(), options, settings);
    }

    /**
     * One DEL of every key of the topic (all in its hash slot): the stream (its consumer groups go with it),
     * or in the list and zset modes the registry, the counter and each part of every group the registry
     * names, plus the groups given.
     */
    @Override
    public void deleteTopic(String topic, java.util.Set<String> groups) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        try {
            if (settings.mode() == RedisMode.STREAM) {
                keys.add(RedisKeys.stream(topic));
            } else {
                RedisMode mode = settings.mode();
                java.util.Set<String> all = new java.util.TreeSet<>(groups);
                for (byte[] g : redis.async().smembers(RedisKeys.groups(mode, topic)).get(settings.commandTimeout().toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    all.add(new String(g, java.nio.charset.StandardCharsets.UTF_8));
                }
                keys.add(RedisKeys.groups(mode, topic));
                keys.add(RedisKeys.sequence(mode, topic));
                for (String g : all) {
                    for (String part : RedisKeys.groupParts(mode)) {
                        keys.add(RedisKeys.group(mode, topic, g, part));
                    }
                }
            }
            redis.async().del(keys.toArray(new byte[0][])).get(settings.commandTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while deleting the Redis keys of '" + topic + "'", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new io.anymq.ConnectionException("Redis could not delete the keys of '" + topic + "': " + Failures.describe(cause), cause);
        }
    }

    /** One script for the whole transaction: see {@link RedisTransactions}. */
    @Override
    public java.util.concurrent.CompletableFuture<java.util.List<io.anymq.Receipt>> commit(io.anymq.spi.TransactionWork work) {
        if (transactions == null) {
            return ClientDriver.super.commit(work);
        }
        if (wait == null) {
            return transactions.commit(work);
        }
        // the commit script ran on the shared connection: its WAIT goes there too
        return wait.confirm(redis.async(), transactions.commit(work), "the transaction's commit");
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
        events.dispose();
        if (wait != null) {
            wait.close();
        }
        redis.connection().close();
        RedisConnections.shutdown(redis.client());
    }
}
