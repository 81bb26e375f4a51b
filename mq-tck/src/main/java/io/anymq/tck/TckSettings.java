package io.anymq.tck;

import java.nio.file.Path;
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
 * @param namePrefix      what every topic and group name the suite makes starts with ({@code tck-});
 *                        {@code mq verify} uses a random one per run
 * @param reportDirectory where the capability report is written ({@code target/tck})
 * @param stress          also run the stress scenarios (volume, many nacks, members joining and leaving under load)
 * @param deleteWhatItMade after the last scenario, delete every topic the suite made, with its groups, where the
 *                        backend declares {@code TOPIC_DELETION}; the report lists what stayed
 * @param childProcesses  allow the scenarios that run a client in a child JVM and kill it ({@code kill -9}); they run
 *                        only where the suite also knows how a child connects ({@link MessagingTck#childClientConfig()}).
 *                        Turn off where no child process may be started ({@code mq verify --no-child-processes})
 * @param generatedIdsArrive a delivery carries the id the SDK generated for a message sent without one, as its
 *                        receipt named it (true). False only for a configuration that keeps generated ids with the
 *                        sender by design (core NATS' {@code send-generated-ids=false}): the round trip then asks only
 *                        that such a message arrives named
 */
public record TckSettings(Duration receiveTimeout, Duration absenceWait, Duration ackTimeout, Duration nackDelay,
                          Duration deliverAtDelay, Duration timingTolerance, int scale, String reportName,
                          String namePrefix, Path reportDirectory, boolean stress, boolean deleteWhatItMade,
                          boolean childProcesses, boolean generatedIdsArrive) {

    public TckSettings {
        Objects.requireNonNull(receiveTimeout, "receiveTimeout");
        Objects.requireNonNull(absenceWait, "absenceWait");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(nackDelay, "nackDelay");
        Objects.requireNonNull(deliverAtDelay, "deliverAtDelay");
        Objects.requireNonNull(timingTolerance, "timingTolerance");
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(reportDirectory, "reportDirectory");
        if (!namePrefix.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("namePrefix must be lower-case letters, digits and '-', starting with a letter: " + namePrefix);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1: " + scale);
        }
    }

    /**
     * 10 s to receive, 1 s of absence, 2 s ack timeout (or the backend's declared minimum, if longer),
     * 500 ms nack delay, 2 s delivery delay, 100 ms tolerance, scale 1, names {@code tck-*}, reports in
     * {@code target/tck}, no stress scenarios, nothing deleted afterwards, child processes allowed, generated ids arrive.
     */
    public static TckSettings defaults() {
        return new TckSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(2), Duration.ofMillis(100), 1, null, "tck-", Path.of("target", "tck"), false, false, true, true);
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
        private String namePrefix;
        private Path reportDirectory;
        private boolean stress;
        private boolean deleteWhatItMade;
        private boolean childProcesses;
        private boolean generatedIdsArrive;

        private Builder(TckSettings s) {
            receiveTimeout = s.receiveTimeout;
            absenceWait = s.absenceWait;
            ackTimeout = s.ackTimeout;
            nackDelay = s.nackDelay;
            deliverAtDelay = s.deliverAtDelay;
            timingTolerance = s.timingTolerance;
            scale = s.scale;
            reportName = s.reportName;
            namePrefix = s.namePrefix;
            reportDirectory = s.reportDirectory;
            stress = s.stress;
            deleteWhatItMade = s.deleteWhatItMade;
            childProcesses = s.childProcesses;
            generatedIdsArrive = s.generatedIdsArrive;
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

        public Builder namePrefix(String prefix) {
            namePrefix = prefix;
            return this;
        }

        public Builder reportDirectory(Path directory) {
            reportDirectory = directory;
            return this;
        }

        /** Also run the stress scenarios. */
        public Builder stress(boolean on) {
            stress = on;
            return this;
        }

        /** Delete what the suite made after its last scenario, where the backend can. */
        public Builder deleteWhatItMade(boolean on) {
            deleteWhatItMade = on;
            return this;
        }

        /** Allow the scenarios that start a client in a child JVM and kill it (on by default). */
        public Builder childProcesses(boolean allowed) {
            childProcesses = allowed;
            return this;
        }

        /**
         * Whether a delivery carries the id generated for a message sent without one (true by default); false only for
         * a configuration that keeps generated ids with the sender by design.
         */
        public Builder generatedIdsArrive(boolean arrive) {
            generatedIdsArrive = arrive;
            return this;
        }

        public TckSettings build() {
            return new TckSettings(receiveTimeout, absenceWait, ackTimeout, nackDelay, deliverAtDelay, timingTolerance, scale, reportName,
                    namePrefix, reportDirectory, stress, deleteWhatItMade, childProcesses, generatedIdsArrive);
        }
    }
}
