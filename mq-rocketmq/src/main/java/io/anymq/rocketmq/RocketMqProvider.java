package io.anymq.rocketmq;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;
import io.anymq.Redaction;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.MessagingProvider;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientConfigurationBuilder;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.StaticSessionCredentialsProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;

/**
 * Apache RocketMQ 5 through its gRPC proxy ({@code rocketmq-client-java}):
 * {@code rocketmq://[accessKey:secretKey@]host:8081[?options]}. Consumers are SimpleConsumers (pop:
 * per-message ack, invisible duration, delivery attempt); topics and groups are made through the admin
 * path (option {@code namesrv}) unless {@code auto-create=false}.
 */
public final class RocketMqProvider implements MessagingProvider {
    /** What every configuration offers. */
    private static final Set<Capability> BASE = Set.of(Capability.PERSISTENCE, Capability.AT_LEAST_ONCE, Capability.FANOUT_GROUPS,
            Capability.COMPETING_CONSUMERS, Capability.NACK_REDELIVERY, Capability.ACK_TIMEOUT, Capability.DELIVERY_COUNT,
            Capability.DEAD_LETTER, Capability.NATIVE_HEADERS);

    /**
     * The capabilities of a configuration: REPLAY_FROM_EARLIEST and START_AT_TIME need the admin path (the module sets a
     * new group's start offsets; without it a new group starts where the broker chooses); DELAYED_DELIVERY
     * needs topics that take delayed messages (MIXED) and mode=default; KEY_ORDERING needs mode=fifo.
     */
    static Capabilities capabilities(RocketMqSettings settings) {
        Set<Capability> c = java.util.EnumSet.copyOf(BASE);
        if (settings.autoCreate()) {
            c.add(Capability.REPLAY_FROM_EARLIEST);
            c.add(Capability.START_AT_TIME);
        }
        if (settings.fifo()) {
            c.add(Capability.KEY_ORDERING);
        } else if (settings.mixedTopics()) {
            c.add(Capability.DELAYED_DELIVERY); // a message cannot be both in a message group and delayed
        }
        return new Capabilities(c, settings.maxPayload()).withMinimumAckTimeout(settings.minAckTimeout())
                .withMaximumNackDelay(settings.maxAckTimeout()); // a nack changes the invisible time, as the ack timeout sets it
    }

    @Override
    public String name() {
        return "rocketmq";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("rocketmq");
    }

    @Override
    public String description() {
        return "Apache RocketMQ 5 (rocketmq-client-java via the gRPC proxy): SimpleConsumer groups, broker-kept invisible time; mode=fifo for per-key order";
    }

    @Override
    public List<ProviderInfo.Mode> modes() {
        return List.of(new ProviderInfo.Mode("default", "rocketmq://127.0.0.1:8081?namesrv=127.0.0.1:9876",
                        capabilities(RocketMqSettings.from(MessagingConfig.of("rocketmq://127.0.0.1:8081")))),
                new ProviderInfo.Mode("fifo", "rocketmq://127.0.0.1:8081?namesrv=127.0.0.1:9876&mode=fifo",
                        capabilities(RocketMqSettings.from(MessagingConfig.of("rocketmq://127.0.0.1:8081?mode=fifo")))));
    }

    @Override
    public io.anymq.spi.ConfigOptions configOptions() {
        return RocketMqSettings.OPTIONS;
    }

    @Override
    public ClientDriver connect(MessagingConfig config) {
        RocketMqSettings settings = RocketMqSettings.from(config);
        probe(settings, Redaction.url(config.url().toString()));
        ClientConfigurationBuilder b = ClientConfiguration.newBuilder().setEndpoints(settings.endpoint())
                .setRequestTimeout(settings.requestTimeout()).enableSsl(settings.tls()).setNamespace(settings.namespace());
        if (settings.accessKey() != null) {
            b.setCredentialProvider(new StaticSessionCredentialsProvider(settings.accessKey(), settings.secretKey()));
        }
        ClientConfiguration configuration = b.build();
        ClientServiceProvider provider = ClientServiceProvider.loadService();
        if (settings.accessKey() != null) {
            checkCredentials(provider, configuration, settings);
        }
        RocketMqAdmin admin = settings.autoCreate() ? RocketMqAdmin.start(settings) : null;
        return new RocketMqClientDriver(settings, provider, configuration, admin);
    }

    /** A topic nobody creates: routing it is the cheapest call the proxy authenticates. */
    static final String CREDENTIALS_PROBE_TOPIC = "anymq-credentials-probe";

    /**
     * Fails at connect, fast and typed, when the proxy refuses the credentials: the gRPC client only
     * finds out at its first call. A short-lived producer routes a topic that does not exist: the proxy
     * authenticates the call first, so wrong credentials are refused ({@code UNAUTHORIZED}), right ones
     * get {@code TOPIC_NOT_FOUND}.
     */
    private static void checkCredentials(ClientServiceProvider provider, ClientConfiguration configuration, RocketMqSettings settings) {
        try (org.apache.rocketmq.client.apis.producer.Producer probe = provider.newProducerBuilder().setClientConfiguration(configuration)
                .setTopics(CREDENTIALS_PROBE_TOPIC).build()) {
            // the topic exists after all: the credentials were taken
        } catch (Exception e) {
            io.anymq.MessagingException m = RocketMqErrors.map(e, "RocketMQ proxy at " + settings.endpoint() + " refused access key '"
                    + settings.accessKey() + "'");
            if (m instanceof io.anymq.AuthenticationException) {
                throw m;
            }
            for (Throwable c = e; c != null; c = c.getCause()) {
                String n = c.getClass().getSimpleName();
                if (n.equals("UnauthorizedException") || n.equals("ForbiddenException")) {
                    throw new io.anymq.AuthenticationException(m.getMessage(), c);
                }
            }
            // anything else (the probe topic is not found) means the proxy took the credentials
        }
    }

    /** Fails fast when nothing listens at the proxy's endpoint (the gRPC client only finds out on first use). */
    private static void probe(RocketMqSettings settings, String where) {
        int colon = settings.endpoint().lastIndexOf(':');
        String host = settings.endpoint().substring(0, colon);
        int port = Integer.parseInt(settings.endpoint().substring(colon + 1));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        } catch (IOException e) {
            throw new ConnectionException("cannot reach the RocketMQ proxy at " + where + " within "
                    + settings.connectTimeout().toMillis() + " ms: " + e.getMessage(), e);
        }
    }
}
