package io.anymq.tck;

import io.anymq.MessagingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The anymq conformance suite. A backend's test extends it and supplies a client:
 *
 * <pre>{@code
 * class KafkaTckIT extends MessagingTck {
 *     protected MessagingClient createClient() { return Messaging.connect(broker.url()); }
 *     public TckSettings settings() { return TckSettings.defaults().toBuilder().ackTimeout(Duration.ofSeconds(15)).build(); }
 * }
 * }</pre>
 *
 * Every scenario names the capabilities it needs ({@link Requires}); the undeclared ones are checked
 * to be refused instead. Each test uses fresh names and closes what it opened. After the class, a
 * capability report is written to {@code target/tck/<name>.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(CapabilityReport.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class MessagingTck implements RoundTripScenarios, TopicScenarios, GroupScenarios, OrderingScenarios,
        SettlementScenarios, StartPositionScenarios, DelayedDeliveryScenarios, ProducerScenarios, LifecycleScenarios,
        RefusalScenarios, PushScenarios, RedeliveryScenarios, MembershipScenarios, LateSettlementScenarios,
        TransactionScenarios, TransactionFaultScenarios, FaultScenarios, StressScenarios {

    private MessagingClient client;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Map<String, String> observations = new ConcurrentHashMap<>();
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    /** Every topic a producer or consumer was made for, with the groups made on it. */
    private final Map<String, Set<String>> made = new ConcurrentHashMap<>();
    private final List<TckReport.Tally> tallies = new CopyOnWriteArrayList<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private final Map<String, String> leftBehind = new ConcurrentHashMap<>();

    /**
     * A new client of the backend under test. Called once for the class, and again whenever a
     * scenario needs a second client; the suite closes every client it made.
     */
    protected abstract MessagingClient createClient();

    /**
     * The hook the fault scenarios act on the broker through (restart, kill, cut connections), or null
     * (the default): the suite then never touches the broker and the fault scenarios do not run. Give one
     * only for a broker the suite may restart.
     */
    protected BrokerFaults brokerFaults() {
        return null;
    }

    @Override
    public final BrokerFaults faults() {
        return brokerFaults();
    }

    /**
     * How a child JVM connects to the backend under test, for the scenarios in which a client process is killed
     * ({@code kill -9}) in the middle of a transaction: the URL under {@code url} and any options under their names,
     * as {@link io.anymq.MessagingConfig#from(Map)} takes them (the child also reads the {@code MQ_*} environment it
     * inherits). The child runs {@code java -cp <this JVM's class path>}, so it finds your provider as this JVM does.
     * Default null: those scenarios do not run. Not for a backend that lives in this JVM ({@code mem:}): a child
     * would reach a broker of its own. The values go to the child in a file only its owner can read, never on its
     * command line.
     */
    protected Map<String, String> childClientConfig() {
        return null;
    }

    @Override
    public final Map<String, String> childConnection() {
        return childClientConfig();
    }

    /** Timings and scale for this backend; override (public) to tune. */
    @Override
    public TckSettings settings() {
        return TckSettings.defaults();
    }

    @BeforeAll
    void openClient() {
        client = new RecordingClient(createClient(), made);
    }

    @AfterAll
    void closeClient() {
        if (client != null) {
            try {
                if (settings().deleteWhatItMade()) {
                    deleteWhatWasMade();
                }
            } finally {
                client.close();
            }
        }
    }

    /** Deletes every topic the scenarios made, with its groups; notes what stays and why. */
    private void deleteWhatWasMade() {
        boolean can = client.capabilities().has(io.anymq.Capability.TOPIC_DELETION);
        for (Map.Entry<String, Set<String>> e : new java.util.TreeMap<>(made).entrySet()) {
            if (!can) {
                leftBehind.put(e.getKey(), client.provider() + " does not declare TOPIC_DELETION");
                continue;
            }
            try {
                client.deleteTopic(e.getKey(), e.getValue());
                deleted.add(e.getKey());
            } catch (RuntimeException failure) {
                leftBehind.put(e.getKey(), failure.getClass().getSimpleName() + ": " + failure.getMessage());
            }
        }
    }

    @AfterEach
    void closeTestResources() {
        synchronized (toClose) {
            AutoCloseable c;
            while ((c = toClose.pollFirst()) != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the test is over; a failure to close is not its result
                }
            }
        }
    }

    @Override
    public MessagingClient client() {
        return client;
    }

    @Override
    public MessagingClient newClient() {
        return closeAfterTest(new RecordingClient(createClient(), made));
    }

    @Override
    public String name(String scenario) {
        String name = settings().namePrefix() + scenario + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1 | 1L << 62).substring(0, 8);
        names.add(name);
        return name;
    }

    @Override
    public <T extends AutoCloseable> T closeAfterTest(T resource) {
        synchronized (toClose) {
            toClose.addFirst(resource);
        }
        return resource;
    }

    @Override
    public void observe(String scenario, String observation) {
        observations.merge(scenario, observation, (a, b) -> a + "; " + b);
    }

    @Override
    public void tally(TckReport.Tally tally) {
        tallies.add(tally);
        observe(tally.scenario(), tally.toString());
    }

    List<TckReport.Tally> tallies() {
        return tallies;
    }

    /** The topics deleted after the last scenario. */
    List<String> deleted() {
        return deleted;
    }

    /** The topics the suite made but did not delete, with why. */
    Map<String, String> leftBehind() {
        return leftBehind;
    }

    /** Called with the report after the class; {@link Verification} takes it from here. */
    void reportWritten(TckReport report) {
    }

    Map<String, String> observations() {
        return observations;
    }

    /** Every topic and group name this class handed out. */
    Set<String> names() {
        return names;
    }
}
