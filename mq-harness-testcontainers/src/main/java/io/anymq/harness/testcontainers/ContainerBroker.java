package io.anymq.harness.testcontainers;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Path;
import java.util.Map;

/**
 * A broker in a Docker container (Testcontainers), for machines with a Docker engine. Kept small:
 * default configuration, no users or TLS (those fall back to a local process); stop, kill and
 * restart stop and start the container (its data does not survive: use local processes for fault tests).
 */
final class ContainerBroker implements Broker {
    private record Image(String image, int port, String scheme, String[] command) {
    }

    /** The Kafka version of the local-process broker (mq-harness' KafkaBroker.VERSION): keep them equal. */
    static final String KAFKA_VERSION = "4.4.0";

    private static final Map<BrokerKind, Image> IMAGES = Map.of(
            BrokerKind.REDIS, new Image("redis:7.0", 6379, "redis", new String[]{"redis-server", "--appendonly", "yes", "--appendfsync", "always"}),
            BrokerKind.MEMCACHED, new Image("memcached:1.6", 11211, "memcached", new String[0]),
            BrokerKind.NATS, new Image("nats:2.10", 4222, "nats", new String[]{"-js"}),
            BrokerKind.RABBITMQ, new Image("rabbitmq:3.13", 5672, "amqp", new String[0]),
            BrokerKind.KAFKA, new Image("apache/kafka:" + KAFKA_VERSION, 9092, "kafka", new String[0]),
            BrokerKind.ARTEMIS, new Image("apache/activemq-artemis:2.40.0", 61616, "artemis", new String[0]),
            BrokerKind.ACTIVEMQ, new Image("apache/activemq-classic:6.1.4", 61616, "activemq", new String[0]),
            BrokerKind.PULSAR, new Image("apachepulsar/pulsar:4.0.7", 6650, "pulsar", new String[]{"bin/pulsar", "standalone"}));

    private final BrokerKind kind;
    private final GenericContainer<?> container;
    private final Image image;

    private ContainerBroker(BrokerKind kind, Image image, GenericContainer<?> container) {
        this.kind = kind;
        this.image = image;
        this.container = container;
    }

    static boolean supports(BrokerKind kind, BrokerOptions options) {
        return IMAGES.containsKey(kind) && options.user() == null && !options.tls() && !options.sasl() && options.port() == 0
                && !options.noScheduler();
    }

    @SuppressWarnings("resource")
    static ContainerBroker start(BrokerKind kind, BrokerOptions options) {
        Image image = IMAGES.get(kind);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.image())).withExposedPorts(image.port())
                .waitingFor(Wait.forListeningPort());
        if (image.command().length > 0) {
            c.withCommand(image.command());
        }
        c.start();
        return new ContainerBroker(kind, image, c);
    }

    @Override
    public BrokerKind kind() {
        return kind;
    }

    @Override
    public String url() {
        String auth = kind == BrokerKind.RABBITMQ ? "guest:guest@" : "";
        return image.scheme() + "://" + auth + host() + ":" + port() + (kind == BrokerKind.RABBITMQ ? "/" : "");
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(image.port());
    }

    @Override
    public Map<String, String> nativeProperties() {
        return Map.of("host", host(), "port", Integer.toString(port()), "bootstrap.servers", host() + ":" + port());
    }

    @Override
    public String source() {
        return "testcontainers";
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public void kill() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void restart() {
        container.stop();
        container.start();
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public Path dataDir() {
        return null;
    }

    @Override
    public Path logFile() {
        return null;
    }

    @Override
    public String logTail(int lines) {
        String[] all = container.getLogs().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            b.append(all[i]).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        container.stop();
    }
}
