package io.anymq.spring;

import io.anymq.MessagingClient;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.util.Objects;

/**
 * An Actuator health indicator for a {@link MessagingClient}, from {@link MessagingClient#health()}
 * (no round trip to the broker): {@code CONNECTED} is {@link Status#UP}; {@code RECONNECTING} and
 * {@code DISCONNECTED} are {@link Status#DOWN} (the client cannot reach the broker now);
 * {@code CLOSED} is {@link Status#OUT_OF_SERVICE}. The details are the provider, the anymq state,
 * since when, and the client's detail (which broker and why; never a secret).
 */
public class AnymqHealthIndicator extends AbstractHealthIndicator {
    private final MessagingClient client;

    /**
     * An indicator for one client.
     *
     * @param client the client
     */
    public AnymqHealthIndicator(MessagingClient client) {
        super("anymq health check failed");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        io.anymq.Health health = client.health();
        switch (health.state()) {
            case CONNECTED -> builder.up();
            case RECONNECTING, DISCONNECTED -> builder.down();
            case CLOSED -> builder.outOfService();
        }
        builder.withDetail("provider", client.provider())
                .withDetail("state", health.state().name())
                .withDetail("since", health.since().toString())
                .withDetail("detail", health.detail());
    }
}
