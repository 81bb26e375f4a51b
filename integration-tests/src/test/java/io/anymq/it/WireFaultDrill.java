package io.anymq.it;

import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Health;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.FreePorts;
import io.anymq.harness.TcpProxy;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire fails (#22, run with {@code -Pdrills}): the client talks to its broker through a {@link TcpProxy}
 * while a producer sends a steady stream (100 messages a second, each send confirmed) and a consumer
 * receives and acks. Then, one after the other:
 * <ol>
 *   <li><b>black-hole</b> for longer than the client's configured timeout (nothing forwarded, nothing closed):
 *   the client must notice within that timeout plus {@link #DETECT_SLACK} (health leaves CONNECTED, or a
 *   typed error from a receive or a send), and recover once the proxy forwards again;</li>
 *   <li><b>drop</b>: every connection reset (RST); the client must recover;</li>
 *   <li><b>latency</b> of {@link #LATENCY} each way for {@link #LATENCY_FOR}: the stream must go on;</li>
 * </ol>
 * and at the end every confirmed message must have been received (lost = confirmed and never received).
 * "Recovered" is the time from the end of the fault (a drop: the reset) until a message sent after it arrived. Results:
 * {@code target/drill/wire-fault.md}. {@code -Ddrill.backends=redis-stream,nats-jetstream,...} chooses the
 * backends (default: all below). One broker at a time.
 *
 * <p>The proxy sits in front of the port in the broker's URL. Kafka and RocketMQ are started advertising the proxy's
 * port ({@link BrokerOptions#withAdvertisedPort}), so that every connection after the bootstrap goes through it too.
 * Where the client is told other addresses by the broker (Pulsar's lookup) its
 * traffic may not pass the proxy: the drill measures that (messages sent during the black-hole that arrived)
 * and reports the backend as "not through the proxy" instead of asserting detection on it.
 */
class WireFaultDrill {
    /** What may come on top of the configured timeout before the client is seen to notice (poll slices, health reads). */
    static final Duration DETECT_SLACK = Duration.ofSeconds(5);
    static final Duration LATENCY = Duration.ofMillis(200);
    static final Duration LATENCY_FOR = Duration.ofSeconds(5);
    private static final Duration RECOVER_WAIT = Duration.ofSeconds(120);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(120);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final long SEND_EVERY_MS = 10;

    /**
     * @param options  URL options that set the client's failure detection to {@code timeout}
     * @param timeout  the configured time after which the client should call a silent connection dead
     * @param setting  what sets it, for the report
     */
    private record Backend(BrokerKind kind, String options, Duration timeout, String setting) {
        String url(String brokerUrl, Broker broker, TcpProxy proxy) {
            String hostPort = broker.host() + ":" + broker.port();
            assertThat(brokerUrl).as("the broker URL names " + hostPort).contains(hostPort);
            return DrillBackends.url(brokerUrl.replace(hostPort, proxy.host() + ":" + proxy.port()), options);
        }
    }

    private static final Map<String, Backend> BACKENDS = new LinkedHashMap<>();

    static {
        add("redis-stream", BrokerKind.REDIS, "?mode=stream&command-timeout=3s", 3, "`command-timeout=3s`");
        add("redis-list", BrokerKind.REDIS, "?mode=list&command-timeout=3s", 3, "`command-timeout=3s`");
        add("redis-zset", BrokerKind.REDIS, "?mode=zset&command-timeout=3s", 3, "`command-timeout=3s`");
        add("nats-jetstream", BrokerKind.NATS, "?jetstream=true&nats.pinginterval=1000&nats.maxpings=2", 3,
                "`nats.pinginterval=1000&nats.maxpings=2` (2 unanswered pings, 1 s apart)");
        add("rabbitmq", BrokerKind.RABBITMQ, "/?rabbitmq.connection.heartbeat=2", 4, "`rabbitmq.connection.heartbeat=2` (2 missed heartbeats)");
        add("memcached", BrokerKind.MEMCACHED, "?eviction=refuse&command-timeout=2s", 2, "`command-timeout=2s`");
        // the read check runs every maxInactivityDuration (the first after the initial delay, 10 s by default) and fires on the
        // third check after the last read began (docs/reliability.md, The wire): 4 to 6 s of silence
        add("activemq", BrokerKind.ACTIVEMQ, "?activemq.wireFormat.maxInactivityDuration=2000&activemq.wireFormat.maxInactivityDurationInitalDelay=2000", 6,
                "`activemq.wireFormat.maxInactivityDuration=2000&activemq.wireFormat.maxInactivityDurationInitalDelay=2000` (the inactivity monitor's read check: 4 to 6 s of silence)");
        // ActiveMQ's defaults (maxInactivityDuration 30 s): 60 to 90 s of silence; a black-hole of 185 s, about 4 minutes
        add("activemq-defaults", BrokerKind.ACTIVEMQ, "", 90,
                "the defaults (`maxInactivityDuration` 30 s: silence noticed on the third period without a read, 60 to 90 s)");
        add("artemis", BrokerKind.ARTEMIS, "?artemis.clientFailureCheckPeriod=1000&artemis.connectionTTL=3000&send-timeout=10s", 3,
                "`artemis.clientFailureCheckPeriod=1000&artemis.connectionTTL=3000`");
        add("hornetq", BrokerKind.HORNETQ, "?hornetq.clientFailureCheckPeriod=1000&hornetq.connectionTTL=3000&send-timeout=10s", 3,
                "`hornetq.clientFailureCheckPeriod=1000&hornetq.connectionTTL=3000`");
        add("kafka", BrokerKind.KAFKA, "?kafka.request.timeout.ms=5000", 5, "`kafka.request.timeout.ms=5000`");
        add("pulsar", BrokerKind.PULSAR, "?pulsar.client.keepAliveIntervalSeconds=2&operation-timeout=5s&send-timeout=10s", 4,
                "`pulsar.client.keepAliveIntervalSeconds=2` (a ping unanswered for one interval)");
        add("rocketmq", BrokerKind.ROCKETMQ, "", 3, "`rocketmq.requestTimeout` (3 s default)");
    }

    private static void add(String name, BrokerKind kind, String options, int timeoutSeconds, String setting) {
        BACKENDS.put(name, new Backend(kind, options, Duration.ofSeconds(timeoutSeconds), setting));
    }

    private static final List<String> REPORT = new ArrayList<>();

    @TestFactory
    List<DynamicTest> aBlackHoledOrDroppedWireIsNoticedAndNothingConfirmedIsLost() {
        return DrillBackends.tests(BACKENDS, WireFaultDrill::drill);
    }

    /**
     * The broker on a port chosen first, so that the proxy exists before it; Kafka advertises the proxy's port, RocketMQ's
     * proxy runs in cluster mode and names in its routes the endpoint the client asked through (the proxy's port).
     */
    private static BrokerOptions options(BrokerKind kind, int port, TcpProxy proxy) {
        BrokerOptions options = BrokerOptions.defaults().withPort(port);
        return kind == BrokerKind.KAFKA || kind == BrokerKind.ROCKETMQ ? options.withAdvertisedPort(proxy.port()) : options;
    }

    /** What one fault did: when the client noticed (and how), and when a message sent after the fault ended arrived. */
    private record FaultResult(String fault, Duration lasted, Duration detected, String how, Duration recovered, int arrivedDuring) {
        String cell() {
            return (detected == null ? "not noticed" : seconds(detected) + " (" + how + ")") + " | "
                    + (recovered == null ? "no" : seconds(recovered));
        }
    }

    private static void drill(String name, Backend backend) throws Exception {
        String topic = "wire-" + UUID.randomUUID().toString().substring(0, 8);
        int brokerPort = FreePorts.next();
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", brokerPort);
             Broker broker = TestBrokers.provide(backend.kind(), options(backend.kind(), brokerPort, proxy))) {
            assertThat(broker.port()).as("the drill runs its own broker (no MQ_IT_*_URL)").isEqualTo(brokerPort);
            String url = backend.url(broker.url(), broker, proxy);
            Stream stream = new Stream();
            try (MessagingClient client = Messaging.connect(url)) {
                ConsumerOptions.Builder options = ConsumerOptions.builder(topic, "wire")
                        .startPosition(DrillBackends.earliestPossible(client))
                        .connectionLossTimeout(backend.timeout());
                if (client.capabilities().has(Capability.ACK_TIMEOUT)) {
                    options.ackTimeout(ACK_TIMEOUT);
                }
                try (Consumer consumer = client.consumer(options.build());
                     Producer producer = client.producer(topic)) {
                    stream.start(producer, consumer);
                    awaitReceived(stream, 200, Duration.ofSeconds(60));
                    assertThat(proxy.acceptedConnections()).as("the client connected through the proxy").isPositive();

                    Duration hole = backend.timeout().plus(backend.timeout()).plus(DETECT_SLACK);
                    FaultResult blackHole = fault("black-hole", client, stream, hole, proxy::blackHole, proxy::forward);
                    FaultResult drop = fault("drop", client, stream, Duration.ZERO, proxy::dropConnections, () -> { });
                    FaultResult latency = fault("latency", client, stream, LATENCY_FOR, () -> proxy.latency(LATENCY, LATENCY),
                            () -> proxy.latency(Duration.ZERO, Duration.ZERO));
                    stream.stopSending();
                    long stopped = System.nanoTime();
                    awaitAllConfirmedReceived(stream);
                    Duration drained = since(stopped);
                    stream.stop();

                    Set<String> lost = stream.lost();
                    boolean bypassed = blackHole.arrivedDuring() > 20;
                    String row = "| " + name + " | " + backend.setting() + " | " + seconds(blackHole.lasted()) + " | "
                            + (bypassed ? "not through the proxy (" + blackHole.arrivedDuring() + " arrived during it) | – " : blackHole.cell()) + " | "
                            + drop.cell() + " | " + latency.arrivedDuring() + " | " + stream.confirmed.size() + " | " + stream.failedSends.get()
                            + " | " + stream.unconfirmedArrivals() + " | " + lost.size() + " | " + stream.duplicates.get() + " | " + seconds(drained) + " |";
                    REPORT.add(row);
                    System.out.println("wire " + name + ": " + row + "\n  " + proxy + "\n  errors seen: " + stream.errors());
                    assertThat(lost).as(name + ": confirmed and never received").isEmpty();
                    if (!bypassed) {
                        assertThat(blackHole.detected()).as(name + ": the black-holed connection was noticed (health, or a typed error)").isNotNull();
                        assertThat(blackHole.detected()).as(name + ": noticed within the configured " + backend.timeout() + " + " + DETECT_SLACK)
                                .isLessThanOrEqualTo(backend.timeout().plus(DETECT_SLACK));
                    }
                    assertThat(blackHole.recovered()).as(name + ": messages flow again after the black-hole").isNotNull();
                    assertThat(drop.recovered()).as(name + ": messages flow again after the drop").isNotNull();
                    assertThat(latency.arrivedDuring()).as(name + ": messages arrive with " + LATENCY + " latency each way").isPositive();
                } finally {
                    stream.stop();
                }
            }
        }
    }

    /**
     * Applies a fault for {@code lasting}, watching health and the stream's errors, ends it, and waits until a message sent
     * after its end arrived.
     */
    private static FaultResult fault(String fault, MessagingClient client, Stream stream, Duration lasting, Runnable apply, Runnable end)
            throws InterruptedException {
        stream.clearErrors();
        long start = System.nanoTime();
        stream.faultStarted(start);
        apply.run();
        Noticed noticed = new Noticed(start);
        while (System.nanoTime() - start < lasting.toNanos()) {
            noticed.look(client, stream);
            Thread.sleep(20);
        }
        int arrivedDuring = stream.arrivedSentAfter(start);
        long ended = System.nanoTime();
        end.run();
        long firstAfter = stream.nextSeq();
        Duration recovered = null;
        while (System.nanoTime() - ended < RECOVER_WAIT.toNanos()) {
            noticed.look(client, stream); // a drop (no duration) may be noticed only now
            if (stream.receivedAtOrAfter(firstAfter)) {
                recovered = since(ended);
                break;
            }
            Thread.sleep(20);
        }
        System.out.println("wire fault " + fault + ": lasted " + seconds(lasting) + ", noticed " + noticed.after + " (" + noticed.how
                + "), recovered " + recovered + ", sent during it and received " + arrivedDuring + ", health now " + client.health());
        return new FaultResult(fault, lasting, noticed.after, noticed.how, recovered, arrivedDuring);
    }

    /** The first sign, after a fault began, that the client noticed: health left CONNECTED, or a typed error from the stream. */
    private static final class Noticed {
        private final long start;
        Duration after;
        String how;

        Noticed(long start) {
            this.start = start;
        }

        void look(MessagingClient client, Stream stream) {
            if (after != null) {
                return;
            }
            Health h = client.health();
            Stream.Seen e = stream.firstError();
            if (h.state() != Health.State.CONNECTED) {
                after = since(start);
                how = "health " + h.state();
            } else if (e != null) {
                after = Duration.ofNanos(e.at() - start);
                how = e.what();
            }
        }
    }

    private static void awaitReceived(Stream stream, int n, Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (stream.receivedCount() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(stream.receivedCount()).as("received before the faults (errors: " + stream.errors() + ")").isGreaterThanOrEqualTo(n);
    }

    private static void awaitAllConfirmedReceived(Stream stream) throws InterruptedException {
        long end = System.nanoTime() + DRAIN_WAIT.toNanos();
        while ((stream.inFlightSends() > 0 || !stream.lost().isEmpty()) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The producer and consumer threads and what they saw. Message ids are {@code w-<seq>}. */
    private static final class Stream {
        record Seen(long at, String what) {
        }

        final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
        final Map<Long, Long> received = new ConcurrentHashMap<>(); // seq -> arrival (nanoTime)
        final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        final AtomicInteger failedSends = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger pending = new AtomicInteger();
        final AtomicLong seq = new AtomicLong();
        final AtomicReference<Seen> firstError = new AtomicReference<>();
        /** Each kind of error (where and type), how often, and its first message. */
        final Map<String, AtomicInteger> errorCounts = new ConcurrentHashMap<>();
        final Map<String, String> firstMessages = new ConcurrentHashMap<>();
        volatile long faultStart = Long.MAX_VALUE;
        volatile boolean sending = true;
        volatile boolean running = true;
        private Thread sender;
        private Thread receiver;

        void start(Producer producer, Consumer consumer) {
            sender = new Thread(() -> send(producer), "wire-send");
            receiver = new Thread(() -> receive(consumer), "wire-receive");
            sender.start();
            receiver.start();
        }

        private void send(Producer producer) {
            while (sending) {
                long n = seq.getAndIncrement();
                try {
                    sentAt.put(n, System.nanoTime());
                    pending.incrementAndGet();
                    producer.send(Message.builder().id("w-" + n).key("k-" + (n % 8)).payload("w-" + n).build()).whenComplete((r, e) -> {
                        pending.decrementAndGet();
                        if (e == null) {
                            confirmed.add(n);
                        } else {
                            failedSends.incrementAndGet();
                            error("send", e);
                        }
                    });
                } catch (MessagingException e) {
                    pending.decrementAndGet();
                    failedSends.incrementAndGet();
                    error("send", e);
                    sleep(100);
                }
                sleep(SEND_EVERY_MS);
            }
        }

        private void receive(Consumer consumer) {
            while (running) {
                try {
                    for (Delivery d : consumer.receive(100, Duration.ofMillis(500))) {
                        String id = d.message().id();
                        long n = Long.parseLong(id.substring(2));
                        if (received.putIfAbsent(n, System.nanoTime()) != null) {
                            duplicates.incrementAndGet();
                        }
                        d.ack().exceptionally(e -> {
                            error("ack", e);
                            return null;
                        });
                    }
                } catch (MessagingException e) {
                    error("receive", e);
                    sleep(100);
                }
            }
        }

        private void error(String where, Throwable e) {
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            String what = where + " " + t.getClass().getSimpleName();
            long now = System.nanoTime();
            if (now >= faultStart) {
                firstError.compareAndSet(null, new Seen(now, what));
            }
            errorCounts.computeIfAbsent(what, w -> {
                firstMessages.put(w, String.valueOf(t.getMessage()));
                return new AtomicInteger();
            }).incrementAndGet();
        }

        void faultStarted(long at) {
            faultStart = at;
        }

        Seen firstError() {
            return firstError.get();
        }

        void clearErrors() {
            firstError.set(null);
        }

        List<String> errors() {
            List<String> out = new ArrayList<>();
            errorCounts.forEach((what, n) -> out.add(n.get() + " x " + what + " (first: " + firstMessages.get(what) + ")"));
            return out;
        }

        int receivedCount() {
            return received.size();
        }

        long nextSeq() {
            return seq.get();
        }

        boolean receivedAtOrAfter(long n) {
            return received.keySet().stream().anyMatch(k -> k >= n);
        }

        /** Messages sent after {@code start} that have arrived: during a black-hole, a sign that the traffic bypasses the proxy. */
        int arrivedSentAfter(long start) {
            return (int) received.keySet().stream().filter(k -> sentAt.getOrDefault(k, 0L) > start).count();
        }

        int inFlightSends() {
            return pending.get();
        }

        Set<Long> lostSeqs() {
            Set<Long> out = new java.util.TreeSet<>(confirmed);
            out.removeAll(received.keySet());
            return out;
        }

        Set<String> lost() {
            Set<String> out = new java.util.TreeSet<>();
            lostSeqs().forEach(n -> out.add("w-" + n));
            return out;
        }

        /** Messages that arrived although their send failed or never completed (in doubt, and stored after all). */
        long unconfirmedArrivals() {
            return received.keySet().stream().filter(k -> !confirmed.contains(k)).count();
        }

        void stopSending() throws InterruptedException {
            sending = false;
            if (sender != null) {
                sender.join(30_000);
            }
        }

        void stop() throws InterruptedException {
            sending = false;
            running = false;
            if (sender != null) {
                sender.join(30_000);
            }
            if (receiver != null) {
                receiver.join(30_000);
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @AfterAll
    static void writeReport() throws IOException {
        Path report = Path.of("target", "drill", "wire-fault.md");
        Files.createDirectories(report.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("| backend | the client's timeout | black-hole for | noticed after (how) | recovered after | drop: noticed after (how) "
                + "| recovered after | received during " + LATENCY.toMillis() + " ms latency (" + LATENCY_FOR.toSeconds() + " s) "
                + "| confirmed | sends failed | arrived unconfirmed | lost | duplicates | all confirmed arrived after the sends stopped |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        lines.addAll(REPORT);
        Files.write(report, lines, StandardCharsets.UTF_8);
    }
}
