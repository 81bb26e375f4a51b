package io.anymq.micrometer;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingConfig;
import io.anymq.Producer;
import io.anymq.StartPosition;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every meter of {@link MicrometerInterceptor}, on mem:. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MicrometerInterceptorTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static String broker() {
        return "mem:metrics-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private MessagingClient connect(String url, MicrometerInterceptor interceptor) {
        return Messaging.connect(MessagingConfig.builder().url(url).interceptor(interceptor).build());
    }

    private double count(String name, String... tags) {
        var c = registry.find("anymq." + name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private double inFlight(String topic, String group) {
        return registry.get("anymq.messages.in.flight").tags("backend", "mem", "topic", topic, "group", group).gauge().value();
    }

    @Test
    void sendsAreCountedMeasuredAndTimedWithPercentiles() {
        MicrometerInterceptor metrics = MicrometerInterceptor.builder(registry).tags(Tags.of("app", "test"))
                .percentiles(0.5, 0.99).build();
        try (MessagingClient c = connect(broker(), metrics); Producer p = c.producer("orders")) {
            for (int i = 0; i < 10; i++) {
                p.send(Message.of(new byte[100 + i])).join();
            }
            p.sendBatch(List.of(Message.of(new byte[7]), Message.of(new byte[3]))).join();
        }
        String[] tags = {"backend", "mem", "topic", "orders", "app", "test"};
        assertThat(count("messages.sent", tags)).isEqualTo(12);
        assertThat(count("messages.sent.bytes", tags)).isEqualTo(10 * 100 + 45 + 10);
        Timer t = registry.get("anymq.send.latency").tags(tags).tag("outcome", "success").timer();
        assertThat(t.count()).isEqualTo(12);
        assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(t.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.99);
        assertThat(registry.get("anymq.messages.sent").counter().getId().getBaseUnit()).isEqualTo("messages");
    }

    @Test
    void sendFailuresAreCountedByExceptionType() {
        MicrometerInterceptor metrics = MicrometerInterceptor.create(registry);
        try (MessagingClient c = connect(broker() + "?capacity=1&when-full=fail", metrics);
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer("t")) {
            p.send(Message.of("fits")).join();
            assertThatThrownBy(() -> p.send(Message.of("over")).join()).hasStackTraceContaining("BackpressureException");
        }
        assertThat(count("send.failures", "backend", "mem", "topic", "t", "exception", "BackpressureException")).isEqualTo(1);
        assertThat(count("messages.sent", "topic", "t")).isEqualTo(1);
        assertThat(registry.get("anymq.send.latency").tags("topic", "t", "outcome", "failure").timer().count()).isEqualTo(1);
    }

    @Test
    void deliveriesAndEverySettlementAreCountedAndInFlightFollows() {
        MicrometerInterceptor metrics = MicrometerInterceptor.create(registry);
        try (MessagingClient c = connect(broker(), metrics)) {
            try (Producer p = c.producer("t")) {
                for (String s : List.of("ack", "nack", "reject", "dlq", "expire")) {
                    p.send(Message.of(s)).join();
                }
            }
            ConsumerOptions o = ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).maxDeliveries(2)
                    .deadLetterTopic("t-dlq").ackTimeout(c.capabilities().minimumAckTimeout().plusSeconds(1)).build();
            Consumer consumer = c.consumer(o);
            List<Delivery> got = consumer.receive(5, WAIT);
            assertThat(got).hasSize(5);
            assertThat(inFlight("t", "g")).isEqualTo(5);
            assertThat(count("messages.received", "topic", "t", "group", "g")).isEqualTo(5);
            got.get(0).ack().join();
            got.get(1).nack(Duration.ZERO).join();
            got.get(2).reject().join();
            got.get(3).nack(Duration.ZERO).join();
            assertThat(inFlight("t", "g")).isEqualTo(1);
            await().atMost(WAIT.multipliedBy(5)).until(() -> count("messages.expired", "group", "g") == 1);
            assertThat(inFlight("t", "g")).isZero();
            // second deliveries of nack, dlq and expire
            List<String> second = new ArrayList<>();
            long until = System.nanoTime() + WAIT.multipliedBy(5).toNanos();
            while (second.size() < 3 && System.nanoTime() < until) {
                for (Delivery d : consumer.receive(10, Duration.ofMillis(200))) {
                    second.add(d.message().payloadAsString());
                    if (d.message().payloadAsString().equals("dlq")) {
                        d.nack(Duration.ZERO).join();
                    } else {
                        d.ack().join();
                    }
                }
            }
            assertThat(second).containsExactlyInAnyOrder("nack", "dlq", "expire");
            consumer.close();
        }
        String[] g = {"backend", "mem", "topic", "t", "group", "g"};
        assertThat(count("messages.received", g)).isEqualTo(8);
        assertThat(count("messages.received.bytes", g)).isEqualTo(3 + 4 + 6 + 3 + 6 + 4 + 3 + 6);
        assertThat(count("messages.redelivered", g)).isEqualTo(3);
        assertThat(count("messages.acked", g)).isEqualTo(3);
        assertThat(count("messages.nacked", g)).isEqualTo(2);
        assertThat(count("messages.rejected", g)).isEqualTo(1);
        assertThat(count("messages.dead.lettered", g)).isEqualTo(1);
        assertThat(count("messages.expired", g)).isEqualTo(1);
        assertThat(count("messages.released", g)).isZero();
        assertThat(inFlight("t", "g")).isZero();
    }

    @Test
    void aConsumerClosingWithDeliveriesInHandCountsThemReleased() {
        MicrometerInterceptor metrics = MicrometerInterceptor.create(registry);
        try (MessagingClient c = connect(broker(), metrics)) {
            try (Producer p = c.producer("t")) {
                p.send(Message.of("a")).join();
                p.send(Message.of("b")).join();
            }
            Consumer consumer = c.consumer(ConsumerOptions.builder("t", "held").startPosition(StartPosition.EARLIEST).build());
            assertThat(consumer.receive(2, WAIT)).hasSize(2);
            assertThat(inFlight("t", "held")).isEqualTo(2);
            consumer.close();
            assertThat(count("messages.released", "group", "held")).isEqualTo(2);
            assertThat(inFlight("t", "held")).isZero();
        }
    }

    private double lag(String topic, String group) {
        return registry.get("anymq.consumer.lag").tags("backend", "mem", "topic", topic, "group", group).gauge().value();
    }

    @Test
    void theLagGaugeAsksAnOpenConsumerAtMostOncePerInterval() {
        MicrometerInterceptor everyRead = MicrometerInterceptor.builder(registry).lagInterval(Duration.ZERO).build();
        try (MessagingClient c = connect(broker(), everyRead)) {
            try (Producer p = c.producer("t")) {
                for (int i = 0; i < 5; i++) {
                    p.send(Message.of("m" + i)).join();
                }
            }
            Consumer consumer = c.consumer(ConsumerOptions.builder("t", "lagging").startPosition(StartPosition.EARLIEST).build());
            assertThat(lag("t", "lagging")).isEqualTo(5);
            List<Delivery> two = consumer.receive(2, WAIT);
            assertThat(two).hasSize(2);
            assertThat(lag("t", "lagging")).isEqualTo(3); // in flight is not lag
            two.get(0).nack(Duration.ZERO).join();
            assertThat(lag("t", "lagging")).isEqualTo(4); // given back: waiting again
            consumer.close();
            assertThat(lag("t", "lagging")).isNaN(); // no open consumer to ask
        }
        SimpleMeterRegistry cached = new SimpleMeterRegistry();
        MicrometerInterceptor slow = MicrometerInterceptor.builder(cached).lagInterval(Duration.ofHours(1)).build();
        try (MessagingClient c = connect(broker(), slow); Producer p = c.producer("t");
             Consumer consumer = c.consumer(ConsumerOptions.builder("t", "g").startPosition(StartPosition.EARLIEST).build())) {
            var gauge = cached.get("anymq.consumer.lag").tags("group", "g").gauge();
            assertThat(gauge.value()).isZero();
            p.send(Message.of("x")).join();
            assertThat(gauge.value()).as("asked again only after the interval").isZero();
            assertThat(consumer.receive(WAIT)).isPresent();
        }
    }

    @Test
    void aSendThatWaitsForTheInFlightWindowIsTimed() throws Exception {
        MicrometerInterceptor metrics = MicrometerInterceptor.create(registry);
        // a topic of one message, held by a group: the second send blocks in the driver holding the window's
        // only place, so the third waits for the window until it gives up
        try (MessagingClient c = connect(broker() + "?capacity=1", metrics);
             Consumer holder = c.consumer("t", "g");
             Producer p = c.producer(io.anymq.ProducerOptions.builder("t").maxInFlight(1).blockTimeout(Duration.ofMillis(100)).build())) {
            p.send(Message.of("1")).join();
            Thread blocked = new Thread(() -> p.send(Message.of("2")).join());
            blocked.start();
            await().atMost(WAIT).until(() -> p.inFlight() == 1);
            assertThatThrownBy(() -> p.send(Message.of("3"))).isInstanceOf(io.anymq.BackpressureException.class);
            Delivery first = holder.receive(WAIT).orElseThrow();
            first.ack().join();
            blocked.join(WAIT.toMillis());
            assertThat(blocked.isAlive()).isFalse();
        }
        Timer wait = registry.get("anymq.send.window.wait").tags("backend", "mem", "topic", "t").timer();
        assertThat(wait.count()).as("only the send that found the window full").isEqualTo(1);
        assertThat(Duration.ofNanos((long) wait.totalTime(TimeUnit.NANOSECONDS))).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    }

    @Test
    void badPercentilesAreRefused() {
        assertThatThrownBy(() -> MicrometerInterceptor.builder(registry).percentiles(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }
}
