package io.anymq.kafka;

import io.anymq.ConfigurationException;
import io.anymq.ConsumerOptions;
import io.anymq.StartPosition;
import io.anymq.spi.Failures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prepares a share group before its first member subscribes: its start offsets (a new group starts
 * at the latest offset as of now, at the earliest with {@code StartPosition.EARLIEST}, or at the first
 * record whose timestamp is at or after the time of {@code StartPosition.at}), its record
 * lock duration (the consumer's ack timeout), and the check that the consumer's maximum deliveries
 * stay within the broker's delivery limit, after which Kafka archives a record by itself.
 */
final class ShareGroups {
    /** Kafka's default {@code group.share.delivery.count.limit}. */
    static final int DEFAULT_DELIVERY_LIMIT = 5;

    private ShareGroups() {
    }

    static void prepare(Admin admin, ConsumerOptions options, int partitions) {
        String group = options.group();
        String topic = options.topic();
        int limit = brokerInt(admin, "group.share.delivery.count.limit", DEFAULT_DELIVERY_LIMIT);
        if (options.maxDeliveries() > limit) {
            throw new ConfigurationException("maxDeliveries " + options.maxDeliveries() + " is over the share group delivery limit of "
                    + limit + " (group.share.delivery.count.limit), after which Kafka archives a record without dead-lettering it");
        }
        List<AlterConfigOp> configs = new ArrayList<>();
        if (options.ackTimeout() != null) {
            configs.add(new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", Long.toString(options.ackTimeout().toMillis())),
                    AlterConfigOp.OpType.SET));
        }
        configs.add(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset",
                options.startPosition() == StartPosition.EARLIEST ? "earliest" : "latest"), AlterConfigOp.OpType.SET));
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), configs)).all().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while setting up share group '" + group + "' on Kafka", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = Failures.unwrap(e);
            if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof org.apache.kafka.common.errors.RetriableException
                    || cause instanceof org.apache.kafka.common.errors.AuthenticationException
                    || cause instanceof org.apache.kafka.common.errors.AuthorizationException) {
                // not an answer about the settings: the broker away, a timeout, credentials (a timeout was called a refusal)
                throw KafkaErrors.map(cause, "Kafka did not take the settings of share group '" + group + "'");
            }
            throw new ConfigurationException("Kafka refused the settings of share group '" + group + "' ("
                    + (options.ackTimeout() == null ? "" : "record lock " + options.ackTimeout().toMillis() + " ms, which the broker bounds with "
                    + "group.share.min/max.record.lock.duration.ms; ") + "start " + options.startPosition() + "): "
                    + Failures.describe(cause), cause);
        }
        pinStart(admin, options, partitions);
    }

    /**
     * The share group's lag on the topic: the sum over its partitions of the broker's share-partition lag
     * ({@code listShareGroupOffsets}, KIP-1226, one round trip, 5 s at most): the records from the share-partition start
     * offset to the end that are not acknowledged yet, records a member holds (acquired, in flight) included. Empty
     * when a partition has no share-partition state or the broker tells no lag (before Kafka 4.2).
     */
    static java.util.OptionalLong lag(Admin admin, String topic, String group, int partitions) {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, org.apache.kafka.clients.admin.SharePartitionOffsetInfo> info;
        try {
            info = admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(all)))
                    .partitionsToOffsetInfo(group).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.anymq.MessagingInterruptedException("interrupted while asking Kafka for the lag of share group '" + group + "'", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.map(Failures.unwrap(e), "Kafka did not say the lag of share group '" + group + "' on '" + topic + "'");
        }
        long sum = 0;
        for (TopicPartition tp : all) {
            org.apache.kafka.clients.admin.SharePartitionOffsetInfo i = info.get(tp);
            if (i == null || i.lag().isEmpty()) {
                return java.util.OptionalLong.empty();
            }
            sum += i.lag().get();
        }
        return java.util.OptionalLong.of(sum);
    }

    /** A new group gets explicit start offsets now, so that nothing sent after the consumer exists is missed. */
    private static void pinStart(Admin admin, ConsumerOptions options, int partitions) {
        String group = options.group();
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(options.topic(), p));
        }
        try {
            Map<TopicPartition, ?> known = admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(all)))
                    .partitionsToOffsetInfo(group).get(15, TimeUnit.SECONDS);
            StartPosition position = options.startPosition();
            Map<TopicPartition, OffsetSpec> missing = new HashMap<>();
            for (TopicPartition tp : all) {
                if (known.get(tp) == null) {
                    missing.put(tp, position == StartPosition.EARLIEST ? OffsetSpec.earliest()
                            : position.isTime() ? OffsetSpec.forTimestamp(position.time().toEpochMilli()) : OffsetSpec.latest());
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> start = new HashMap<>();
            Map<TopicPartition, OffsetSpec> none = new HashMap<>();
            admin.listOffsets(missing).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> {
                if (info.offset() >= 0) {
                    start.put(tp, info.offset());
                } else {
                    none.put(tp, OffsetSpec.latest()); // no record at or after the time: the end
                }
            });
            if (!none.isEmpty()) {
                admin.listOffsets(none).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> start.put(tp, info.offset()));
            }
            admin.alterShareGroupOffsets(group, start).all().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            // another member is active (the group is not empty): it has its offsets already
            org.slf4j.LoggerFactory.getLogger(ShareGroups.class).debug("share group '{}': start offsets not pinned: {}", group,
                    Failures.describe(Failures.unwrap(e)));
        }
    }

    /** A broker setting as a number, or the default when it cannot be read. */
    private static int brokerInt(Admin admin, String name, int defaultValue) {
        try {
            String node = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).iterator().next().idString();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);
            ConfigEntry entry = admin.describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker).get(name);
            return entry == null || entry.value() == null ? defaultValue : Integer.parseInt(entry.value());
        } catch (Exception e) {
            return defaultValue;
        }
    }

}
