package io.anymq.jms;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.MessagingProvider;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JMS brokers through one driver with a dialect each: {@code activemq://host:61616} (ActiveMQ
 * Classic over OpenWire), {@code artemis://host:61616} (ActiveMQ Artemis over Core) and
 * {@code hornetq://host:5445} (HornetQ 2.4 through Artemis' client speaking the HornetQ protocol).
 */
public final class JmsProvider implements MessagingProvider {
    private static final Logger LOG = LoggerFactory.getLogger(JmsProvider.class);
    /** A new dialect per client: the HornetQ one remembers the topics it created. */
    private static final Map<String, java.util.function.Supplier<Dialect>> DIALECTS = Map.of("activemq", ActiveMqDialect::new,
            "artemis", ArtemisDialect::new, "hornetq", HornetQDialect::new);

    /** What every dialect offers whether or not the broker holds delayed messages. */
    static final Set<Capability> BASE = Set.copyOf(EnumSet.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.COMPETING_CONSUMERS, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT, Capability.DEAD_LETTER,
            Capability.NATIVE_HEADERS, Capability.TRANSACTIONS));
    /** With a broker that holds delayed messages: nack with a delay, and deliverAt. */
    static final Set<Capability> WITH_SCHEDULER;

    static {
        EnumSet<Capability> s = EnumSet.copyOf(BASE);
        s.add(Capability.NACK_REDELIVERY);
        s.add(Capability.DELAYED_DELIVERY);
        WITH_SCHEDULER = Set.copyOf(s);
    }

    @Override
    public String name() {
        return "jms";
    }

    /** The TLS form of each scheme: {@code activemq+ssl}, {@code artemis+ssl}, {@code hornetq+ssl}. */
    static final String TLS_SUFFIX = "+ssl";

    @Override
    public Set<String> schemes() {
        Set<String> all = new java.util.TreeSet<>(DIALECTS.keySet());
        for (String s : DIALECTS.keySet()) {
            all.add(s + TLS_SUFFIX);
        }
        return Set.copyOf(all);
    }

    @Override
    public String description() {
        return "JMS brokers: ActiveMQ Classic (activemq://, virtual topics), ActiveMQ Artemis (artemis://, shared durable subscriptions), "
                + "HornetQ 2.4 (hornetq://, a core queue per group)";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        Capabilities caps = new Capabilities(WITH_SCHEDULER, JmsSettings.DEFAULT_MAX_PAYLOAD);
        return List.of(new ProviderInfo.Mode("activemq", "activemq://127.0.0.1:61616", caps),
                new ProviderInfo.Mode("artemis", "artemis://127.0.0.1:61616", caps),
                new ProviderInfo.Mode("hornetq", "hornetq://127.0.0.1:5445", caps));
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return JmsSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        boolean tls = config.scheme().endsWith(TLS_SUFFIX);
        Dialect dialect = DIALECTS.get(tls ? config.scheme().substring(0, config.scheme().length() - TLS_SUFFIX.length()) : config.scheme()).get();
        JmsSettings.checkNativePrefix(config, dialect.nativePrefix());
        JmsSettings settings = JmsSettings.from(config, dialect.defaultPort(), tls);
        ConnectionFactory factory = dialect.factory(settings, config.withPrefix(dialect.nativePrefix()));
        String where = dialect.brokerName() + " at " + settings.host() + ":" + settings.port() + (tls ? " (TLS)" : "");
        Reachability.check(settings, where);
        Connection connection = Handshake.open(factory, settings, where);
        try {
            boolean scheduler = switch (settings.scheduler()) {
                case ON -> true;
                case OFF -> false;
                case AUTO -> !dialect.mayLackScheduler() || SchedulerProbe.brokerHoldsDelayedMessages(connection, dialect);
            };
            if (!scheduler) {
                LOG.warn("{} does not hold delayed messages (ActiveMQ Classic: schedulerSupport is off); nack with a delay and deliverAt are refused", where);
            }
            Capabilities caps = new Capabilities(scheduler ? WITH_SCHEDULER : BASE, settings.maxPayload());
            return new JmsClientDriver(dialect, settings, factory, connection, caps);
        } catch (JMSException | RuntimeException e) {
            Handshake.closeQuietly(connection);
            throw JmsErrors.translate(where, "connect", e);
        }
    }
}
