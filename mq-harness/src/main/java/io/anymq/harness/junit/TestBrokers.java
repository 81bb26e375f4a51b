package io.anymq.harness.junit;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.Brokers;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How tests get brokers. A broker that cannot be provided fails the test: a run that skips a
 * backend is not a green run. The only way to skip is to say so explicitly, by name:
 * {@code -Dmq.it.skip=kafka,pulsar}; and with {@code -Dmq.it.require=all} (or {@code CI=true})
 * nothing may be skipped at all.
 */
public final class TestBrokers {
    private TestBrokers() {
    }

    public static Broker provide(BrokerKind kind) {
        return provide(kind, BrokerOptions.defaults());
    }

    /**
     * For a fault test that kills the broker's process: the broker must be one this harness started as a
     * local process. Otherwise (a container, a URL given from outside) the test is skipped, unless the run
     * requires every test ({@code -Dmq.it.require=all} or {@code CI=true}): then it fails.
     */
    public static void requireKillable(Broker broker) {
        if (!broker.source().equals("local-process")) {
            String why = "kill -9 needs a broker this harness started as a local process; this one is " + broker.source();
            if (requireAll()) {
                throw new IllegalStateException(why + ", and this run requires every test (-Dmq.it.require=all or CI=true)");
            }
            Assumptions.abort(why);
        }
    }

    private static boolean requireAll() {
        return "all".equals(System.getProperty("mq.it.require")) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static Broker provide(BrokerKind kind, BrokerOptions options) {
        requireNotSkipped(kind);
        return Brokers.provide(kind, options);
    }

    /**
     * Honours {@code -Dmq.it.skip} for a test that starts brokers its own way (such as through
     * {@link io.anymq.harness.BrokerHome}): skipped when listed there, failed when the run also requires every broker.
     */
    public static void requireNotSkipped(BrokerKind kind) {
        Set<String> skipped = Arrays.stream(System.getProperty("mq.it.skip", "").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        boolean requireAll = requireAll();
        if (skipped.contains(kind.id())) {
            if (requireAll) {
                throw new IllegalStateException(kind.id() + " is listed in -Dmq.it.skip, but this run requires every broker "
                        + "(-Dmq.it.require=all or CI=true)");
            }
            Assumptions.abort(kind.id() + " skipped on request (-Dmq.it.skip)");
        }
    }
}
