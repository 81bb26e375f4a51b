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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        TransactionScenarios {

    private MessagingClient client;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Map<String, String> observations = new ConcurrentHashMap<>();
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /**
     * A new client of the backend under test. Called once for the class, and again whenever a
     * scenario needs a second client; the suite closes every client it made.
     */
    protected abstract MessagingClient createClient();

    /** Timings and scale for this backend; override (public) to tune. */
    @Override
    public TckSettings settings() {
        return TckSettings.defaults();
    }

    @BeforeAll
    void openClient() {
        client = createClient();
    }

    @AfterAll
    void closeClient() {
        if (client != null) {
            client.close();
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
        return closeAfterTest(createClient());
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

    Map<String, String> observations() {
        return observations;
    }

    /** Every topic and group name this class handed out. */
    Set<String> names() {
        return names;
    }
}
