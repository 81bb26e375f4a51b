package io.anymq.it.pulsar;

import io.anymq.AuthenticationException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulsar with basic and token authentication and TLS: credentials work, wrong ones fail fast and typed, secrets never show. */
@HeavyBrokers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PulsarSecurityIT {
    private static final String PASSWORD = "s3cret-pw";
    private Broker broker;

    @BeforeAll
    void start() {
        broker = TestBrokers.provide(BrokerKind.PULSAR, BrokerOptions.defaults().withUser("app", PASSWORD).withTls());
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void roundTrip(MessagingClient client, String text) {
        String topic = fresh("secure");
        Consumer c = client.consumer(ConsumerOptions.builder(topic, "g").startPosition(StartPosition.EARLIEST).build());
        client.producer(topic).send(text).join();
        assertThat(c.receive(Duration.ofSeconds(20)).orElseThrow().message().payloadAsString()).isEqualTo(text);
    }

    /** Runs the work with stderr captured (the client's log: slf4j-simple writes there) and returns what was written. */
    private static String logOf(Runnable work) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            work.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString();
    }

    /** A connect with these credentials is a non-retryable AuthenticationException within 10 s that does not show the secret. */
    private static void refusedFast(String url, String secret) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Messaging.connect(url))
                .isInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertThat(((AuthenticationException) e).isRetryable()).isFalse())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).as("message of " + t.getClass().getName()).doesNotContain(secret);
                    }
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void basicAuthenticationWorksAndTheWrongPasswordIsATypedFastError() {
        String hostPort = broker.host() + ":" + broker.port();
        try (MessagingClient client = Messaging.connect("pulsar://app:" + PASSWORD + "@" + hostPort + "?partitions=2&admin-url="
                + broker.nativeProperties().get("adminUrl"))) {
            assertThat(client.toString()).doesNotContain(PASSWORD);
            roundTrip(client, "over basic auth"); // partitions=2: the admin REST call logs in too
        }
        String log = logOf(() -> {
            refusedFast("pulsar://app:wrong-pw@" + hostPort + "?connect-timeout=5s", "wrong-pw");
            assertThatThrownBy(() -> Messaging.connect("pulsar://" + hostPort + "?connect-timeout=5s"))
                    .as("no credentials at all").isInstanceOf(AuthenticationException.class);
        });
        assertThat(log).doesNotContain("wrong-pw").doesNotContain(PASSWORD);
    }

    /**
     * The broker also takes JWT tokens (AuthenticationProviderToken with an HS256 key made by the
     * harness): the option {@code token} works end to end (also as Bearer for the admin API); a token
     * signed with another key, and one that is no JWT at all, are refused at connect, typed and fast;
     * no token shows in a message, toString() or the log.
     */
    @Test
    void tokenAuthenticationWorksAndAWrongTokenIsATypedFastError() {
        String token = broker.nativeProperties().get("token");
        String otherKeyToken = broker.nativeProperties().get("token.other-key");
        assertThat(token).isNotBlank().isNotEqualTo(otherKeyToken);
        String base = "pulsar://" + broker.host() + ":" + broker.port();
        String log = logOf(() -> {
            try (MessagingClient client = Messaging.connect(base + "?token=" + token + "&partitions=2&admin-url="
                    + broker.nativeProperties().get("adminUrl"))) {
                assertThat(client.toString()).doesNotContain(token);
                roundTrip(client, "over token auth"); // partitions=2: the admin REST call sends the token as Bearer
            }
            refusedFast(base + "?connect-timeout=5s&token=" + otherKeyToken, otherKeyToken);
            refusedFast(base + "?connect-timeout=5s&token=not-a-jwt-" + PASSWORD, PASSWORD);
        });
        assertThat(log).doesNotContain(token).doesNotContain(otherKeyToken).doesNotContain(PASSWORD)
                // the signature alone, in case a message showed the token cut short
                .doesNotContain(token.substring(token.lastIndexOf('.') + 1))
                .doesNotContain(otherKeyToken.substring(otherKeyToken.lastIndexOf('.') + 1));
    }

    @Test
    void tlsWithTheBrokersCertificate() {
        String url = "pulsar+ssl://app:" + PASSWORD + "@" + broker.host() + ":" + broker.nativeProperties().get("tls.port")
                + "?tls.truststore=" + broker.nativeProperties().get("ca.pem");
        try (MessagingClient client = Messaging.connect(url)) {
            roundTrip(client, "over tls");
        }
        String p12 = "pulsar+ssl://app:" + PASSWORD + "@" + broker.host() + ":" + broker.nativeProperties().get("tls.port")
                + "?tls.truststore=" + broker.nativeProperties().get("truststore.path") + "&tls.truststore-password="
                + broker.nativeProperties().get("truststore.password");
        try (MessagingClient client = Messaging.connect(p12)) {
            assertThat(client.toString()).doesNotContain(broker.nativeProperties().get("truststore.password"));
            roundTrip(client, "over tls with a PKCS#12 trust store");
        }
    }
}
