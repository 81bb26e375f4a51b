package io.anymq.tck;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.Transaction;
import io.anymq.TransactionException;
import io.anymq.tck.BrokerFaults.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions when something dies: the client process before its commit (a child JVM killed with {@code kill -9},
 * run where the suite knows how a child connects), and the broker during commits (through the {@link BrokerFaults}
 * hook). A transaction is whole or absent, whatever the commit said: never half visible, and nothing of a confirmed
 * commit lost.
 */
public interface TransactionFaultScenarios extends TckContext {

    /** How long a killed client's delivery or a restarted broker may take: a Kafka group's session timeout (45 s) fits. */
    private Duration recoveryWait() {
        return settings().receiveTimeout().multipliedBy(6);
    }

    /** A consumer's options as the crash scenarios ask for them (with the suite's ack timeout where declared). */
    private ConsumerOptions crashOptions(String topic, String group) {
        ConsumerOptions.Builder o = options(topic, group);
        if (declares(Capability.ACK_TIMEOUT)) {
            o.ackTimeout(ackTimeout());
        }
        return o.build();
    }

    /** A child client that receives one delivery of the group first (see {@link CrashingClient}), then works in mode. */
    private CrashingClient startChild(String mode, ConsumerOptions source, String out, String... more) {
        List<String> args = new ArrayList<>(List.of(mode, source.topic(), source.group(),
                source.startPosition() == StartPosition.EARLIEST ? "EARLIEST" : "LATEST",
                Long.toString(source.ackTimeout() == null ? 0 : source.ackTimeout().toMillis()),
                Long.toString(settings().receiveTimeout().toMillis()), out));
        args.addAll(List.of(more));
        return CrashingClient.start(childConnection(), args);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a dead member's delivery comes back after the broker's session timeout
    @Requires(value = {Capability.TRANSACTIONS, Capability.TRANSACTIONAL_ACK}, childProcess = true)
    default void aClientKilledBeforeItsCommitLeavesNothingAndItsDeliveryComesBack() throws InterruptedException {
        String scenario = "aClientKilledBeforeItsCommitLeavesNothingAndItsDeliveryComesBack";
        String in = name("txcrash-in");
        String out = name("txcrash-out");
        String group = name("g");
        ConsumerOptions source = crashOptions(in, group);
        consumer(source).close(); // the group exists before the message, on every backend
        MessagingClient fresh = newClient();
        Consumer sink = closeAfterTest(fresh.consumer(options(out, name("g")).build()));
        Message order = Message.builder().payload("order").id(name("order")).build();
        producer(in).send(order).join();
        try (CrashingClient child = startChild("ack", source, out)) {
            String held = child.awaitReady(settings().receiveTimeout().multipliedBy(3));
            assertThat(held).as("the delivery the child acked in its transaction").isEqualTo(order.id());
            child.kill(); // after tx.send and tx.ack, before the commit
        }
        long killed = System.nanoTime();
        Consumer again = closeAfterTest(fresh.consumer(source));
        Optional<Delivery> back = again.receive(recoveryWait());
        assertThat(back).as("the delivery the killed client acked in its uncommitted transaction comes back to the group within "
                + recoveryWait()).isPresent();
        assertThat(back.get().message().id()).isEqualTo(order.id());
        long after = (System.nanoTime() - killed) / 1_000_000;
        back.get().ack().join();
        assertThat(receiveDuringAbsenceWait(sink)).as("nothing the killed transaction sent is visible").isEmpty();
        observe(scenario, "the delivery came back " + after + " ms after the kill"
                + (declares(Capability.DELIVERY_COUNT) ? " (delivery count " + back.get().deliveryCount() + ")" : "")
                + ", nothing of the transaction visible");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @Requires(value = Capability.TRANSACTIONS, childProcess = true)
    default void aClientKilledBeforeItsCommitLeavesNoneOfItsSends() throws InterruptedException {
        String scenario = "aClientKilledBeforeItsCommitLeavesNoneOfItsSends";
        String out = name("txcrash-out");
        MessagingClient fresh = newClient();
        Consumer sink = closeAfterTest(fresh.consumer(options(out, name("g")).build()));
        String ids = name("never") + "-";
        ConsumerOptions probe = options(name("txcrash-probe"), name("g")).build();
        consumer(probe).close(); // the group exists before the message, on every backend
        producer(probe.topic()).send(Message.of("the child receives this first")).join();
        try (CrashingClient child = startChild("send", probe, out, "5", ids)) {
            child.awaitReady(settings().receiveTimeout().multipliedBy(3));
            child.kill(); // after five tx.send, before the commit
        }
        // a send made after the kill arrives; none of the killed transaction's, before it or after
        Message marker = Message.builder().payload("after the kill").id(name("marker")).build();
        closeAfterTest(fresh.producer(out)).send(marker).join();
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + settings().receiveTimeout().toNanos();
        while (!seen.contains(marker.id()) && System.nanoTime() < end) {
            sink.receive(Duration.ofMillis(200)).ifPresent(d -> {
                d.ack();
                seen.add(d.message().id());
            });
        }
        assertThat(seen).as("the send after the kill arrives").contains(marker.id());
        receiveDuringAbsenceWait(sink).forEach(d -> seen.add(d.message().id()));
        assertThat(seen).as("nothing of the killed client's uncommitted transaction is visible").containsExactly(marker.id());
        observe(scenario, "5 sends of a transaction killed before its commit: none visible");
    }

    /**
     * Transactions of ten sends commit one after the other on one thread while the broker is
     * killed ({@code kill -9}) and restarted. Each commit that returned must be wholly visible afterwards, each that
     * threw {@code ABORTED} not at all, each {@code UNKNOWN} wholly or not at all: never part of one.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a restart and a commit timeout or two: more than the suite's 2 minutes
    @Requires(value = {Capability.TRANSACTIONS, Capability.PERSISTENCE}, faults = Fault.KILL)
    default void brokerKilledDuringCommitsLeavesEveryTransactionWholeOrAbsent() throws InterruptedException {
        String scenario = "brokerKilledDuringCommitsLeavesEveryTransactionWholeOrAbsent";
        String topic = name("txkill");
        ConsumerOptions group = options(topic, name("g")).build();
        consumer(group).close(); // the group exists before the first commit, on every backend
        int beforeKill = 20;
        int afterRestart = 20;
        Map<String, TransactionException.Outcome> outcomes = new HashMap<>(); // null: committed
        List<String> order = new ArrayList<>();
        AtomicLong restartedAt = new AtomicLong();
        Thread killer = null;
        int committedAfterRestart = 0;
        long end = System.nanoTime() + recoveryWait().multipliedBy(3).toNanos();
        for (int t = 0; System.nanoTime() < end; t++) {
            long committed = outcomes.values().stream().filter(o -> o == null).count();
            if (killer == null && outcomes.size() >= beforeKill && committed > 0) {
                // the loop goes on committing while the broker dies: the kill lands in a commit or between two
                killer = new Thread(() -> {
                    faults().killAndRestart();
                    restartedAt.set(System.nanoTime());
                }, "tck-tx-killer");
                killer.setDaemon(true);
                killer.start();
            }
            if (killer != null && !killer.isAlive() && committedAfterRestart >= afterRestart) {
                break;
            }
            String tx = scenario + "-tx" + t;
            order.add(tx);
            boolean begunAfterRestart = restartedAt.get() != 0;
            try (Transaction transaction = client().beginTransaction()) {
                for (int i = 0; i < TransactionCount.SENDS; i++) {
                    transaction.send(topic, Message.builder().payload("p" + i).id(tx + "-" + i).build());
                }
                transaction.commit();
                outcomes.put(tx, null);
                if (begunAfterRestart) {
                    committedAfterRestart++;
                }
            } catch (TransactionException e) {
                outcomes.put(tx, e.outcome());
                sleep(100); // the broker is away: do not spin
            }
        }
        if (killer != null) {
            killer.join(recoveryWait().toMillis());
        }
        assertThat(killer).as("the broker was killed after %d transactions", beforeKill).isNotNull();
        assertThat(restartedAt.get()).as("the broker came back").isPositive();

        // everything committed, read by a fresh client of the group
        Map<String, Integer> visible = new HashMap<>();
        long duplicates = 0;
        long expected = outcomes.values().stream().filter(o -> o == null).count() * TransactionCount.SENDS;
        java.util.Set<String> ids = new java.util.HashSet<>();
        Consumer reader = closeAfterTest(newClient().consumer(group));
        long quietSince = System.nanoTime();
        long readEnd = System.nanoTime() + recoveryWait().toNanos();
        while (System.nanoTime() < readEnd && (ids.size() < expected
                ? System.nanoTime() - quietSince < settings().receiveTimeout().toNanos()
                : System.nanoTime() - quietSince < settings().absenceWait().toNanos())) {
            List<Delivery> batch = reader.receive(256, Duration.ofMillis(200));
            if (!batch.isEmpty()) {
                quietSince = System.nanoTime();
            }
            for (Delivery d : batch) {
                d.ack();
                String id = d.message().id();
                if (!id.startsWith(scenario + "-tx")) {
                    continue;
                }
                if (ids.add(id)) {
                    visible.merge(id.substring(0, id.lastIndexOf('-')), 1, Integer::sum);
                } else {
                    duplicates++;
                }
            }
        }
        TransactionCount count = TransactionCount.of(order, outcomes, visible, TransactionCount.SENDS);
        tally(new TckReport.Tally(scenario, (long) order.size() * TransactionCount.SENDS, expected, ids.size(), count.lostSends(), duplicates));
        observe(scenario, count.toString());
        assertThat(count.halfVisible()).as("transactions of which only part is visible: %s", count).isZero();
        assertThat(count.abortedVisible()).as("transactions that threw ABORTED and are visible: %s", count).isZero();
        assertThat(count.lostSends()).as("sends of commits that returned and never arrived: %s", count).isZero();
        assertThat(committedAfterRestart).as("commits begun after the restart that returned: %s", count).isPositive();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
