package io.anymq.harness.testcontainers;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.ContainerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Brokers in Docker containers with Testcontainers, found by mq-harness' {@code Brokers.provide}
 * through {@link java.util.ServiceLoader} when this module is on the class path (tests only: nothing
 * shipped to users depends on it).
 */
public final class TestcontainersProvider implements ContainerProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TestcontainersProvider.class);

    @Override
    public String name() {
        return "testcontainers";
    }

    @Override
    public boolean supports(BrokerKind kind, BrokerOptions options) {
        return ContainerBroker.supports(kind, options);
    }

    /**
     * Whether a Docker engine answers. Checked cheaply first (a socket or DOCKER_HOST), so a machine
     * without Docker does not pay for Testcontainers' full detection.
     */
    @Override
    public boolean available() {
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

    @Override
    public Broker start(BrokerKind kind, BrokerOptions options) {
        return ContainerBroker.start(kind, options);
    }
}
