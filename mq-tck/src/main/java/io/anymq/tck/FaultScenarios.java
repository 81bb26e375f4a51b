package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.Health;
import io.anymq.Message;
import io.anymq.Producer;
import io.anymq.tck.BrokerFaults.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults done to the broker through the {@link BrokerFaults} hook while a stream runs: kill -9, a graceful
 * restart, connections cut. Run only when the suite is given a hook (a broker it may restart); neither the
 * producer nor the members are helped, they recover by themselves. Every confirmed message must arrive.
 */
public interface FaultScenarios extends TckContext {

    /** How long the members get to receive everything after the stream: long enough for a rebalance after a restart. */
    private Duration recoveryWait() {
        return settings().receiveTimeout().multipliedBy(6);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.PERSISTENCE}, faults = Fault.KILL)
    default void brokerKilledAtAThirdAndAtHalfOfAStreamLosesNothingConfirmed() throws InterruptedException {
        String scenario = "brokerKilledAtAThirdAndAtHalfOfAStreamLosesNothingConfirmed";
        int total = settings().scaled(10_000);
        faultDuringStream(scenario, total, i -> {
            if (i == total / 3 || i == total / 2) {
                faults().killAndRestart();
            }
        });
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = {Capability.AT_LEAST_ONCE, Capability.PERSISTENCE}, faults = Fault.RESTART)
    default void brokerRestartedDuringAStreamLosesNothingConfirmed() throws InterruptedException {
        String scenario = "brokerRestartedDuringAStreamLosesNothingConfirmed";
        int total = settings().scaled(5_000);
        faultDuringStream(scenario, total, i -> {
            if (i == total / 2) {
                faults().restart();
            }
        });
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(value = Capability.AT_LEAST_ONCE, faults = Fault.CUT_CONNECTIONS)
    default void connectionsCutDuringAStreamAreRecoveredAndLoseNothingConfirmed() throws InterruptedException {
        String scenario = "connectionsCutDuringAStreamAreRecoveredAndLoseNothingConfirmed";
        int total = settings().scaled(5_000);
        Duration outage = settings().absenceWait().multipliedBy(3);
        AtomicLong notConnectedAfter = new AtomicLong(-1);
        Thread[] cutter = new Thread[1];
        faultDuringStream(scenario, total, i -> {
            if (i == total / 2) {
                long cutAt = System.nanoTime();
                cutter[0] = new Thread(() -> faults().cutConnections(outage), "tck-cut");
                cutter[0].start();
                Thread watcher = new Thread(() -> {
                    long end = cutAt + outage.toNanos() * 2;
                    while (System.nanoTime() < end && notConnectedAfter.get() < 0) {
                        if (client().health().state() != Health.State.CONNECTED) {
                            notConnectedAfter.set((System.nanoTime() - cutAt) / 1_000_000);
                        }
                        sleep(20);
                    }
                }, "tck-health-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
        });
        if (cutter[0] != null) {
            cutter[0].join(outage.multipliedBy(10).toMillis());
        }
        observe(scenario, notConnectedAfter.get() < 0 ? "health stayed CONNECTED through a " + outage.toMillis() + " ms cut"
                : "health left CONNECTED " + notConnectedAfter.get() + " ms after the cut began");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // several receive timeouts of recovery: more than the suite's 2 minutes
    @Requires(faults = Fault.RESTART)
    default void clientsWorkAgainAfterABrokerRestart() {
        String topic = name("faultrecover");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        producer.send(Message.of("before")).join();
        receiveOne(consumer).ack();
        faults().restart();
        // the same producer and member, not helped: a send may fail while they reconnect, then one must arrive
        long end = System.nanoTime() + recoveryWait().toNanos();
        Optional<Delivery> after = Optional.empty();
        int attempt = 0;
        while (after.isEmpty() && System.nanoTime() < end) {
            String payload = "after-" + attempt++;
            try {
                producer.send(Message.of(payload)).get(settings().receiveTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                after = consumer.receive(settings().receiveTimeout());
            } catch (RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException reconnecting) {
                sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        assertThat(after).as("a message sent after the restart through the same producer reaches the same member within " + recoveryWait())
                .isPresent();
        after.get().ack();
        observe("clientsWorkAgainAfterABrokerRestart", attempt + " send(s) after the restart until one arrived");
    }

    private void faultDuringStream(String scenario, int total, java.util.function.IntConsumer fault) throws InterruptedException {
        String topic = name("fault");
        String group = name("g");
        StreamCheck check = new StreamCheck(this, scenario);
        io.anymq.ConsumerOptions.Builder options = options(topic, group);
        if (declares(Capability.ACK_TIMEOUT)) {
            options.ackTimeout(ackTimeout());
        }
        check.join(consumer(options.build()));
        TckReport.Tally tally = check.run(topic, 1, total, fault, recoveryWait());
        assertThat(tally.lost()).as("confirmed messages that never arrived (%s), first: %s", tally, check.lostIds()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
