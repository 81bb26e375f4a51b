package io.anymq.kafka;

import io.anymq.MessagingException;
import io.anymq.TopicNotFoundException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Topics of one connection: created on first use with the configured partitions and replication,
 * unless auto-creation is off, when a missing topic is a {@link TopicNotFoundException}.
 */
final class KafkaTopics {
    private final Admin admin;
    private final KafkaSettings settings;
    /** Topics known to exist, with their partition count. */
    private final Map<String, Integer> known = new ConcurrentHashMap<>();

    KafkaTopics(Admin admin, KafkaSettings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    /** Makes sure the topic exists; returns its partition count. */
    int ensure(String topic) {
        Integer partitions = known.get(topic);
        if (partitions != null) {
            return partitions;
        }
        try {
            partitions = describe(topic, false);
        } catch (UnknownTopicOrPartitionException missing) {
            if (!settings.autoCreate()) {
                throw new TopicNotFoundException("Kafka topic '" + topic + "' does not exist, and auto-create is off (option auto-create=false)");
            }
            create(topic);
            partitions = describe(topic, true);
            awaitLeaders(topic, partitions);
        }
        known.put(topic, partitions);
        return partitions;
    }

    /**
     * Deletes the groups (consumer groups, or share groups in the shared mode: a Kafka group belongs to the
     * cluster, so its positions on other topics go too), then the topic. What does not exist is skipped.
     */
    void delete(String topic, Set<String> groups) {
        known.remove(topic);
        long timeoutMs = settings.connectTimeout().toMillis() + 5000;
        try {
            if (!groups.isEmpty()) {
                Map<String, ? extends org.apache.kafka.common.KafkaFuture<Void>> results = settings.mode() == KafkaSettings.Mode.SHARED
                        ? admin.deleteShareGroups(groups).deletedGroups() : admin.deleteConsumerGroups(groups).deletedGroups();
                for (Map.Entry<String, ? extends org.apache.kafka.common.KafkaFuture<Void>> r : results.entrySet()) {
                    try {
                        r.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
                            throw KafkaErrors.map(e, "Kafka could not delete group '" + r.getKey() + "' of topic '" + topic + "'");
                        }
                    }
                }
            }
            try {
                admin.deleteTopics(Set.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw KafkaErrors.map(e, "Kafka could not delete topic '" + topic + "'");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while deleting topic '" + topic + "'", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.map(e, "Kafka did not delete topic '" + topic + "' in time");
        }
    }

    private void create(String topic) {
        try {
            admin.createTopics(Set.of(new NewTopic(topic, java.util.Optional.of(settings.partitions()), settings.replication())))
                    .all().get(settings.connectTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw KafkaErrors.map(e, "Kafka could not create topic '" + topic + "'");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while creating topic '" + topic + "'", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.map(e, "Kafka did not create topic '" + topic + "' in time");
        }
    }

    /**
     * Waits until every partition of a new topic answers at its leader (a list-offsets request
     * succeeds): a producer that writes to a partition whose leader is not ready yet gets
     * NOT_LEADER_OR_FOLLOWER and, with idempotence, may stall its later batches.
     */
    private void awaitLeaders(String topic, int partitions) {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            all.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                admin.listOffsets(all).all().get(settings.connectTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw KafkaErrors.map(e, "the partitions of new topic '" + topic + "' got no ready leader in time");
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.anymq.MessagingInterruptedException("interrupted while waiting for topic '" + topic + "'", e);
            }
        }
    }

    /** The partition count; a created topic may take a moment to show in the metadata. */
    private int describe(String topic, boolean justCreated) {
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(settings.connectTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS).get(topic);
                return d.partitions().size();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException u) {
                    if (!justCreated || System.nanoTime() > deadline) {
                        throw u;
                    }
                    pause();
                    continue;
                }
                MessagingException m = KafkaErrors.map(e, "Kafka could not describe topic '" + topic + "'");
                if (System.nanoTime() > deadline || !m.isRetryable()) {
                    throw m;
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.anymq.MessagingInterruptedException("interrupted while looking up topic '" + topic + "'", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw KafkaErrors.map(e, "Kafka did not describe topic '" + topic + "' in time");
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while waiting for a Kafka topic", e);
        }
    }
}
