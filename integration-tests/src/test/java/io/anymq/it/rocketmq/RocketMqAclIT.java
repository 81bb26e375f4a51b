package io.anymq.it.rocketmq;

import io.anymq.AuthenticationException;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * RocketMQ with ACL 2.0 authentication on (a harness broker and proxy with a user): the right
 * credentials work through the gRPC proxy and the admin path; a wrong secret is a typed,
 * non-retryable error at connect, fast, that does not show the secret.
 */
@HeavyBrokers
class RocketMqAclIT {
    private static final String USER = "anymq";
    private static final String SECRET = "s3cret-Pa55";

    @Test
    void credentialsWorkAndAWrongSecretFailsFastAtConnect() {
        try (Broker broker = TestBrokers.provide(BrokerKind.ROCKETMQ, BrokerOptions.defaults().withUser(USER, SECRET))) {
            String url = broker.url();
            assertThat(url).contains(USER + ":" + SECRET + "@");
            String topic = "acl-" + UUID.randomUUID().toString().substring(0, 8);
            try (MessagingClient client = Messaging.connect(url)) {
                assertThat(client.toString()).doesNotContain(SECRET);
                Consumer consumer = client.consumer(ConsumerOptions.builder(topic, "acl-g").startPosition(StartPosition.EARLIEST).build());
                client.producer(topic).send(Message.of("with credentials")).join();
                Delivery d = consumer.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("nothing arrived"));
                assertThat(new String(d.message().payload(), StandardCharsets.UTF_8)).isEqualTo("with credentials");
                d.ack().join();
            }
            String wrong = url.replace(USER + ":" + SECRET + "@", USER + ":not-the-Secret9@");
            long t0 = System.nanoTime();
            Throwable e = catchThrowable(() -> Messaging.connect(wrong).close());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(e).isInstanceOf(AuthenticationException.class);
            assertThat(((MessagingException) e).isRetryable()).isFalse();
            assertThat(e.getMessage()).doesNotContain("not-the-Secret9").doesNotContain(SECRET);
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            System.out.println("acl: a wrong secret refused after " + took.toMillis() + " ms: " + e.getMessage());
            Throwable unknown = catchThrowable(() -> Messaging.connect(url.replace(USER + ":" + SECRET + "@", "nobody:whatever1@")).close());
            assertThat(unknown).isInstanceOf(AuthenticationException.class);
        }
    }
}
