package io.anymq.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition during one assignment to this consumer: which fetched records are
 * still open (buffered or delivered, not acked), and so which offset can be committed: the lowest
 * open one, or the one after the last fetched record when none is open. Acks may come in any order
 * from any thread; a crash redelivers only what was not acked (and what follows it).
 */
final class PartitionTracker {
    private final TopicPartition partition;
    private final TreeSet<Long> open = new TreeSet<>();
    private long next = -1;
    private long committed = -1;
    private volatile boolean revoked;

    PartitionTracker(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** A record came from the broker. */
    synchronized void fetched(long offset) {
        open.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** A record was acked (or rejected): it no longer holds the committed offset back. */
    synchronized void settled(long offset) {
        open.remove(offset);
    }

    /** The partition will be read again from this offset: records from it on are no longer open here. */
    synchronized void rewind(long offset) {
        open.tailSet(offset, true).clear();
        if (next < 0 || offset < next) {
            next = offset;
        }
    }

    /** The offset to commit now, if it is beyond what was committed. */
    synchronized OptionalLong committable() {
        if (next < 0) {
            return OptionalLong.empty();
        }
        long offset = open.isEmpty() ? next : open.first();
        return offset > committed ? OptionalLong.of(offset) : OptionalLong.empty();
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
