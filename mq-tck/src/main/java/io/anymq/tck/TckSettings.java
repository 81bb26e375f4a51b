package io.anymq.tck;

import java.time.Duration;
import java.util.Objects;

/**
 * Knobs that let the suite fit slow or coarse brokers; the defaults suit {@code mem:}.
 *
 * @param receiveTimeout  how long to wait for a message that must come
 * @param absenceWait     how long to watch to show that a message does not come
 * @param ackTimeout      the ack timeout the suite asks for
 * @param nackDelay       the delay the suite nacks with
 * @param deliverAtDelay  how far in the future delayed messages are due
 * @param timingTolerance how much earlier than asked a "no sooner than" event may be seen (clock granularity)
 * @param scale           big message counts are divided by this (at least 1)
 * @param reportName      the capability report's file name under {@code target/tck/}, without {@code .md};
 *                        null means the provider's name
 * @param ackTimeoutRedeliversToHolder what the backend declares about a delivery held past the ack
 *                        timeout: false (the default) means any member of the group gets it again, even
 *                        while the holder does not receive; true means only the member that held it gets
 *                        it again, on its next receive (Kafka consumer groups: a partition has one owner)
 */
public record TckSettings(Duration receiveTimeout, Duration absenceWait, Duration ackTimeout, Duration nackDelay,
                          Duration deliverAtDelay, Duration timingTolerance, int scale, String reportName,
                          boolean ackTimeoutRedeliversToHolder) {

    public TckSettings {
        Objects.requireNonNull(receiveTimeout, "receiveTimeout");
        Objects.requireNonNull(absenceWait, "absenceWait");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(nackDelay, "nackDelay");
        Objects.requireNonNull(deliverAtDelay, "deliverAtDelay");
        Objects.requireNonNull(timingTolerance, "timingTolerance");
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1: " + scale);
        }
    }

    /** 10 s to receive, 1 s of absence, 2 s ack timeout, 500 ms nack delay, 2 s delivery delay, 100 ms tolerance, scale 1. */
    public static TckSettings defaults() {
        return new TckSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(2), Duration.ofMillis(100), 1, null, false);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code count} divided by the scale, at least 1. */
    public int scaled(int count) {
        return Math.max(1, count / scale);
    }

    public static final class Builder {
        private Duration receiveTimeout;
        private Duration absenceWait;
        private Duration ackTimeout;
        private Duration nackDelay;
        private Duration deliverAtDelay;
        private Duration timingTolerance;
        private int scale;
        private String reportName;
        private boolean ackTimeoutRedeliversToHolder;

        private Builder(TckSettings s) {
            receiveTimeout = s.receiveTimeout;
            absenceWait = s.absenceWait;
            ackTimeout = s.ackTimeout;
            nackDelay = s.nackDelay;
            deliverAtDelay = s.deliverAtDelay;
            timingTolerance = s.timingTolerance;
            scale = s.scale;
            reportName = s.reportName;
            ackTimeoutRedeliversToHolder = s.ackTimeoutRedeliversToHolder;
        }

        public Builder receiveTimeout(Duration d) {
            receiveTimeout = d;
            return this;
        }

        public Builder absenceWait(Duration d) {
            absenceWait = d;
            return this;
        }

        public Builder ackTimeout(Duration d) {
            ackTimeout = d;
            return this;
        }

        public Builder nackDelay(Duration d) {
            nackDelay = d;
            return this;
        }

        public Builder deliverAtDelay(Duration d) {
            deliverAtDelay = d;
            return this;
        }

        public Builder timingTolerance(Duration d) {
            timingTolerance = d;
            return this;
        }

        public Builder scale(int s) {
            scale = s;
            return this;
        }

        public Builder reportName(String name) {
            reportName = name;
            return this;
        }

        public Builder ackTimeoutRedeliversToHolder(boolean toHolder) {
            ackTimeoutRedeliversToHolder = toHolder;
            return this;
        }

        public TckSettings build() {
            return new TckSettings(receiveTimeout, absenceWait, ackTimeout, nackDelay, deliverAtDelay, timingTolerance, scale, reportName,
                    ackTimeoutRedeliversToHolder);
        }
    }
}
