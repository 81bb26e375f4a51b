package io.anymq.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The offsets of one partition during one assignment to this consumer.
 * <ul>
 *   <li><b>open</b>: fetched and not acked or rejected yet. The lowest open offset is what may be
 *       committed, so a crash redelivers only what was not acked (and what follows it). A nacked
 *       record <em>stays open</em> until it is acked: nothing the group has not finished is ever
 *       committed past.</li>
 *   <li><b>out</b>: the open offsets that are with the application (or in the read-ahead buffer)
 *       now. When the partition is read again after a nack, a record that is out or already settled
 *       is skipped: only what was given back comes again, so a nack duplicates nothing.</li>
 * </ul>
 * Acks may come in any order from any thread.
 */
final class PartitionTracker {
    private final TopicPartition partition;
    private final TreeSet<Long> open = new TreeSet<>();
    private final Set<Long> out = new HashSet<>();
    private long next = -1;
    private long committed = -1;
    private volatile boolean revoked;

    PartitionTracker(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /**
     * A record came from the broker. Returns whether to hand it out: true for a record not seen
     * before and for one that was given back; false for one read again that is settled or still out.
     */
    synchronized boolean fetched(long offset) {
        if (offset >= next) {
            open.add(offset);
            out.add(offset);
            next = offset + 1;
            return true;
        }
        return open.contains(offset) && out.add(offset);
    }

    /** A record was acked (or rejected): it no longer holds the committed offset back. */
    synchronized void settled(long offset) {
        open.remove(offset);
        out.remove(offset);
    }

    /** A record is given back (nacked, expired, or dropped from the read-ahead): the next read of it hands it out again. */
    synchronized void givenBack(long offset) {
        out.remove(offset);
    }

    /** Where the partition must be read from so that every record given back comes again; empty when none waits. */
    synchronized OptionalLong rereadFrom() {
        for (long o : open) {
            if (!out.contains(o)) {
                return OptionalLong.of(o);
            }
        }
        return OptionalLong.empty();
    }

    /** The offset to commit now, if it is beyond what was committed. */
    synchronized OptionalLong committable() {
        if (next < 0) {
            return OptionalLong.empty();
        }
        long offset = open.isEmpty() ? next : open.first();
        return offset > committed ? OptionalLong.of(offset) : OptionalLong.empty();
    }

    /**
     * The offset to commit so that these acked records (open, of this partition) are settled for good:
     * the first open record that is not one of them. Every one of them must lie below it (the records
     * before them settled, or acked with them): else their ack could not be made durable now.
     *
     * @throws IllegalStateException naming the record that holds them back
     */
    synchronized long committableWith(java.util.Collection<Long> acked) {
        long offset = next;
        for (long o : open) {
            if (!acked.contains(o)) {
                offset = o;
                break;
            }
        }
        for (long a : acked) {
            if (a >= offset) {
                throw new IllegalStateException("offset " + a + " of " + partition + " cannot be acked in a transaction while offset "
                        + offset + " before it is not settled (Kafka keeps one committed offset per partition: settle a partition's "
                        + "records in order)");
            }
        }
        return offset;
    }

    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** The partition went to another member (or was lost): deliveries of it can no longer be settled here. */
    void revoke() {
        revoked = true;
    }

    boolean isRevoked() {
        return revoked;
    }

    @Override
    public String toString() {
        return "PartitionTracker{" + partition + (revoked ? ", revoked" : "") + "}";
    }
}
