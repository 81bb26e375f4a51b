package io.anymq.it.bridge;

import io.anymq.harness.BrokerKind;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;

/** The broker pairs the bridge drills run, from a system property: {@code kafka>rabbitmq,rabbitmq>kafka,...}. */
final class BridgePairs {
    /** The pairs of issue #21, run when the property is not given. */
    static final String DEFAULT = "kafka>rabbitmq,rabbitmq>kafka,redis>nats,hornetq>artemis";

    /** One pair's run. */
    interface Run {
        void run(BrokerKind from, BrokerKind to) throws Exception;
    }

    private BridgePairs() {
    }

    /** One dynamic test per pair named by the property (default {@link #DEFAULT}). */
    static List<DynamicTest> tests(String property, Run run) {
        String pairs = System.getProperty(property, "");
        List<DynamicTest> tests = new ArrayList<>();
        for (String pair : (pairs.isBlank() ? DEFAULT : pairs).split(",")) {
            String[] p = pair.trim().split(">");
            if (p.length != 2) {
                throw new IllegalArgumentException(property + " takes SOURCE>DESTINATION pairs, such as " + DEFAULT + ": " + pair);
            }
            tests.add(DynamicTest.dynamicTest(p[0] + " -> " + p[1], () -> run.run(BrokerKind.of(p[0]), BrokerKind.of(p[1]))));
        }
        return tests;
    }

    /** A whole number from a system property, or the default when it is not given. */
    static int count(String property, int defaultCount) {
        String n = System.getProperty(property, "");
        return n.isBlank() ? defaultCount : Integer.parseInt(n.trim());
    }
}
