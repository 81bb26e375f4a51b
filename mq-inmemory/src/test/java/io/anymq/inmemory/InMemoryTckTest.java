package io.anymq.inmemory;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;

import java.time.Duration;
import java.util.UUID;

/** The whole conformance suite on {@code mem:}, each test class on a broker of its own. */
class InMemoryTckTest extends MessagingTck {
    private final String broker = "tck-" + UUID.randomUUID();

    @Override
    protected MessagingClient createClient() {
        return Messaging.connect("mem:" + broker);
    }

    @Override
    public TckSettings settings() {
        return TckSettings.defaults().toBuilder()
                .receiveTimeout(Duration.ofSeconds(5))
                .absenceWait(Duration.ofMillis(300))
                .ackTimeout(Duration.ofMillis(500))
                .nackDelay(Duration.ofMillis(200))
                .deliverAtDelay(Duration.ofMillis(500))
                .timingTolerance(Duration.ofMillis(20))
                .reportName("mem")
                .build();
    }
}
