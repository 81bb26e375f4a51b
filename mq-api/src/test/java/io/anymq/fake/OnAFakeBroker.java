package io.anymq.fake;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import org.junit.jupiter.api.AfterEach;

import java.util.UUID;

/** A test class on a fake broker of its own: a client of it for each test, closed after the test. */
public abstract class OnAFakeBroker {
    protected final String name = UUID.randomUUID().toString();
    protected final FakeBroker broker = FakeBroker.named(name);
    protected final MessagingClient client = Messaging.connect("fake:" + name);

    @AfterEach
    void closeClient() {
        client.close();
    }
}
