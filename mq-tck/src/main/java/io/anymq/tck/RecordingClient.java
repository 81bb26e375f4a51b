package io.anymq.tck;

import io.anymq.Capabilities;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Health;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.ProducerOptions;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client under test as the scenarios see it: every call goes to it unchanged, and every topic a
 * producer or consumer was made for (dead-letter topics included) is noted with its groups, so that the
 * suite can delete what it made ({@link TckSettings#deleteWhatItMade()}).
 */
final class RecordingClient implements MessagingClient {
    private final MessagingClient client;
    private final Map<String, Set<String>> made;

    RecordingClient(MessagingClient client, Map<String, Set<String>> made) {
        this.client = client;
        this.made = made;
    }

    private Set<String> topic(String topic) {
        return made.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet());
    }

    @Override
    public Producer producer(ProducerOptions options) {
        topic(options.topic());
        return client.producer(options);
    }

    @Override
    public Consumer consumer(ConsumerOptions options) {
        topic(options.topic()).add(options.group());
        if (options.deadLetterTopic() != null) {
            topic(options.deadLetterTopic());
        }
        return client.consumer(options);
    }

    @Override
    public String provider() {
        return client.provider();
    }

    @Override
    public Capabilities capabilities() {
        return client.capabilities();
    }

    @Override
    public Health health() {
        return client.health();
    }

    /** A transaction of the client under test; the topics it sends to are noted as the producers' are. */
    @Override
    public io.anymq.Transaction beginTransaction() {
        io.anymq.Transaction tx = client.beginTransaction();
        return new io.anymq.Transaction() {
            @Override
            public java.util.concurrent.CompletableFuture<io.anymq.Receipt> send(String topic, io.anymq.Message message) {
                java.util.concurrent.CompletableFuture<io.anymq.Receipt> f = tx.send(topic, message);
                topic(topic); // after the send took it: a name it refused is not one the suite made
                return f;
            }

            @Override
            public void ack(io.anymq.Delivery delivery) {
                tx.ack(delivery);
            }

            @Override
            public void commit() {
                tx.commit();
            }

            @Override
            public void abort() {
                tx.abort();
            }

            @Override
            public boolean isOpen() {
                return tx.isOpen();
            }

            @Override
            public void close() {
                tx.close();
            }

            @Override
            public String toString() {
                return tx.toString();
            }
        };
    }

    @Override
    public void deleteTopic(String topic, Collection<String> groups) {
        client.deleteTopic(topic, groups);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return client.unwrap(type);
    }

    @Override
    public long interceptorFailures() {
        return client.interceptorFailures();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return client.toString();
    }
}
