package io.anymq.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Provides a real broker, resolved in this order:
 * <ol>
 *   <li>an explicit URL from the environment ({@code MQ_IT_KAFKA_URL}) or a system property
 *       ({@code mq.it.kafka.url}): a broker the user already runs;</li>
 *   <li>a container, when a {@link ContainerProvider} is on the class path (Testcontainers:
 *       {@code mq-harness-testcontainers}), supports the broker and finds a reachable engine;</li>
 *   <li>a real broker started as a local process on free loopback ports, with its data under
 *       {@code target/brokers}.</li>
 * </ol>
 * It logs which one it chose.
 */
public final class Brokers {
    private static final Logger LOG = LoggerFactory.getLogger(Brokers.class);

    private Brokers() {
    }

    public static Broker provide(BrokerKind kind) {
        return provide(kind, BrokerOptions.defaults());
    }

    public static Broker provide(BrokerKind kind, BrokerOptions options) {
        if (options.advertisedPort() != 0 && kind != BrokerKind.KAFKA && kind != BrokerKind.ROCKETMQ) {
            throw new IllegalArgumentException(kind.id() + ": an advertised port is a Kafka and RocketMQ option (BrokerOptions.withAdvertisedPort)");
        }
        String url = System.getProperty(kind.systemProperty(), System.getenv(kind.envVar()));
        if (url != null && !url.isBlank()) {
            LOG.info("{}: using the broker at {} given by {} / {}", kind.id(), io.anymq.Redaction.url(url), kind.envVar(), kind.systemProperty());
            return new ExternalBroker(kind, url.strip());
        }
        Optional<ContainerProvider> containers = containerProvider();
        if (containers.isPresent() && containers.get().supports(kind, options)) {
            if (containers.get().available()) {
                LOG.info("{}: a container engine is reachable; starting the broker with {}", kind.id(), containers.get().name());
                return containers.get().start(kind, options);
            }
            LOG.info("{}: no URL given and no container engine reachable ({}); starting a local {} process",
                    kind.id(), containers.get().name(), kind.id());
        } else {
            LOG.info("{}: no URL given{}; starting a local {} process", kind.id(),
                    containers.isPresent() ? "" : " and no container provider on the class path", kind.id());
        }
        return local(kind, options).start();
    }

    /** A local-process broker, not started yet. */
    public static LocalBroker local(BrokerKind kind, BrokerOptions options) {
        return switch (kind) {
            case REDIS -> new RedisBroker(options);
            case MEMCACHED -> new MemcachedBroker(options);
            case NATS -> new NatsBroker(options);
            case RABBITMQ -> new RabbitMqBroker(options);
            case KAFKA -> new KafkaBroker(options);
            case ACTIVEMQ -> new ActiveMqBroker(options);
            case ARTEMIS -> new ArtemisBroker(options);
            case ROCKETMQ -> new RocketMqBroker(options);
            case PULSAR -> new PulsarBroker(options);
            case HORNETQ -> new HornetQBroker(options);
        };
    }

    /** The first {@link ContainerProvider} on the class path, if any. */
    static Optional<ContainerProvider> containerProvider() {
        try {
            return ServiceLoader.load(ContainerProvider.class, Brokers.class.getClassLoader()).findFirst();
        } catch (ServiceConfigurationError | LinkageError e) {
            LOG.warn("a container provider is on the class path but could not be loaded: {}", e.toString());
            return Optional.empty();
        }
    }
}
