package io.anymq.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Provides a real broker, resolved in this order:
 * <ol>
 *   <li>an explicit URL from the environment ({@code MQ_IT_KAFKA_URL}) or a system property
 *       ({@code mq.it.kafka.url}): a broker the user already runs;</li>
 *   <li>Testcontainers, when a Docker engine is reachable;</li>
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
        String url = System.getProperty(kind.systemProperty(), System.getenv(kind.envVar()));
        if (url != null && !url.isBlank()) {
            LOG.info("{}: using the broker at {} given by {} / {}", kind.id(), io.anymq.Redaction.url(url), kind.envVar(), kind.systemProperty());
            return new ExternalBroker(kind, url.strip());
        }
        if (dockerReachable() && ContainerBroker.supports(kind, options)) {
            LOG.info("{}: a Docker engine is reachable; starting the broker with Testcontainers", kind.id());
            return ContainerBroker.start(kind, options);
        }
        LOG.info("{}: no URL given and no Docker engine; starting a local {} process", kind.id(), kind.id());
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

    /**
     * Whether a Docker engine answers. Checked cheaply first (a socket or DOCKER_HOST), so a machine
     * without Docker does not pay for Testcontainers' full detection.
     */
    static boolean dockerReachable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Docker is not usable: {}", e.toString());
            return false;
        }
    }
}
