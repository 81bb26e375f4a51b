package com.example.thirdparty;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.tck.MessagingTck;
import io.anymq.tck.TckSettings;

import java.time.Duration;

/** The whole suite on the third-party provider: the class mq-tck/README.md tells a provider's author to write. */
class ThirdPartyTckTest extends MessagingTck {

    @Override
    protected MessagingClient createClient() {          // called once per class, and for "second process" clients
        return Messaging.connect("thirdparty:tck");
    }

    @Override
    public TckSettings settings() {                      // optional: an in-JVM broker can be checked faster
        return TckSettings.defaults().toBuilder().absenceWait(Duration.ofMillis(300)).ackTimeout(Duration.ofMillis(500))
                .nackDelay(Duration.ofMillis(200)).deliverAtDelay(Duration.ofMillis(500)).reportName("thirdparty").build();
    }
}
