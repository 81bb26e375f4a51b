package io.anymq.cli;

import io.anymq.bridge.Bridge;
import io.anymq.bridge.BridgeListener;
import io.anymq.bridge.BridgeProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code mq bridge SRC_URL SRC_TOPIC DST_URL DST_TOPIC --group G}: copies a topic between brokers
 * with {@link Bridge}. SIGTERM (or Ctrl-C) stops it gracefully: no more receives, the sends and
 * acks under way finish, then it exits with the code it would have had.
 */
@Command(name = "bridge", mixinStandardHelpOptions = true,
        description = {"Copy a topic from one broker to another, at-least-once: a message is acked at the source only "
                + "after the destination confirmed it; id, key, headers, timestamp and payload travel unchanged.",
                "The group's position at the source is the bridge's state: stop it (even kill -9) and start it again with "
                        + "the same --group, and it goes on where it stood. SIGTERM stops it gracefully.",
                "A progress line goes to stderr. Exit codes: 0 done (drained with --until-empty, or stopped by a signal), "
                        + "1 failed (the message that stopped it stays at the source), 2 bad usage, "
                        + "3 done but some messages went to the dead-letter destination."})
final class BridgeCommand implements Callable<Integer> {
    /** Exit code when the bridge finished but dead-lettered messages. */
    static final int DEAD_LETTERED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC_URL", description = "the source broker, e.g. amqp://127.0.0.1:5672")
    String sourceUrl;

    @Parameters(index = "1", paramLabel = "SRC_TOPIC")
    String sourceTopic;

    @Parameters(index = "2", paramLabel = "DST_URL", description = "the destination broker, e.g. kafka://127.0.0.1:9092")
    String destinationUrl;

    @Parameters(index = "3", paramLabel = "DST_TOPIC")
    String destinationTopic;

    @Option(names = {"-g", "--group"}, required = true, description = "the source group the bridge reads as (its state)")
    String group;

    @Option(names = "--from", paramLabel = "earliest|latest|TIME", description = StartPositions.DESCRIPTION)
    String from = "latest";

    @Option(names = "--until-empty", description = "stop when the source is drained (nothing came for --idle); default: follow until stopped")
    boolean untilEmpty;

    @Option(names = "--idle", description = "with --until-empty: how long nothing must come, e.g. 10s (default: ${DEFAULT-VALUE})")
    String idle = "10s";

    @Option(names = {"-c", "--concurrency"}, description = "lanes sending at once, chosen by key (default: ${DEFAULT-VALUE})")
    int concurrency = 4;

    @Option(names = "--max-in-flight", description = "messages received and not yet acked at most (default: ${DEFAULT-VALUE})")
    int maxInFlight = 512;

    @Option(names = "--dead-letter", arity = "1..2", paramLabel = "[URL] TOPIC",
            description = "where messages the destination refuses for good go: a topic of the destination, or URL and topic "
                    + "(default: none, such a message stops the bridge)")
    List<String> deadLetter;

    @Option(names = "--progress", description = "how often the progress line is written, e.g. 1s (default: ${DEFAULT-VALUE})")
    String progress = "1s";

    @Option(names = "--close-timeout", description = "how long a graceful stop waits for sends under way (default: ${DEFAULT-VALUE})")
    String closeTimeout = "30s";

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Bridge.Builder b = Bridge.builder()
                .source(sourceUrl).sourceTopic(sourceTopic).group(group)
                .startPosition(StartPositions.parse("--from", from))
                .destination(destinationUrl).destinationTopic(destinationTopic)
                .concurrency(concurrency).maxInFlight(maxInFlight)
                .untilEmpty(untilEmpty).idleTimeout(Durations.parse("--idle", idle))
                .progressInterval(Durations.parse("--progress", progress))
                .closeTimeout(Durations.parse("--close-timeout", closeTimeout))
                .listener(new ProgressLine(err));
        if (deadLetter != null) {
            if (deadLetter.size() == 1) {
                b.deadLetter(deadLetter.get(0));
            } else {
                b.deadLetter(deadLetter.get(0), deadLetter.get(1));
            }
        }
        Bridge bridge = b.build();
        CountDownLatch summarized = new CountDownLatch(1);
        int[] code = {Main.FAILED};
        Thread hook = new Thread(() -> {
            bridge.close();
            try {
                summarized.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // halt anyway
            }
            err.flush();
            Runtime.getRuntime().halt(code[0]); // a graceful stop exits with the bridge's own code, not 143
        }, "bridge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            BridgeProgress done = bridge.run();
            err.printf("mq bridge: done: %,d copied, %,d dead-lettered, %,d send retries, %,d refused acks in %s%n",
                    done.copied(), done.deadLettered(), done.sendRetries(), done.ackFailures(), seconds(done.elapsed()));
            code[0] = done.deadLettered() > 0 ? DEAD_LETTERED : 0;
        } catch (RuntimeException e) {
            BridgeProgress p = bridge.progress();
            err.printf("mq bridge: stopped after %,d copied, %,d dead-lettered%n", p.copied(), p.deadLettered());
            err.flush();
            summarized.countDown();
            removeHook(hook);
            throw e;
        }
        err.flush();
        summarized.countDown();
        removeHook(hook);
        return code[0];
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it halts with the code
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    /** The notes at the start, then one line per interval: copied, current rate, failures. */
    private static final class ProgressLine implements BridgeListener {
        private final PrintWriter err;
        private long lastCopied;
        private long lastNanos = System.nanoTime();

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onStart(List<String> notes) {
            for (String note : notes) {
                err.println("mq bridge: " + note);
            }
            err.flush();
        }

        @Override
        public synchronized void onProgress(BridgeProgress p) {
            long now = System.nanoTime();
            double seconds = (now - lastNanos) / 1e9;
            double rate = seconds <= 0 ? 0 : (p.copied() - lastCopied) / seconds;
            lastNanos = now;
            lastCopied = p.copied();
            err.printf("copied %,d  rate %,.0f/s  received %,d  failures %,d (send retries %,d, receive errors %,d, "
                            + "refused acks %,d, dead-lettered %,d)  %s%n", p.copied(), rate, p.received(), p.failures(),
                    p.sendRetries(), p.receiveErrors(), p.ackFailures(), p.deadLettered(), seconds(p.elapsed()));
            err.flush();
        }
    }
}
