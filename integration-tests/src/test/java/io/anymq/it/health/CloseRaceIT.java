package io.anymq.it.health;

import io.anymq.Consumer;
import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.StartPosition;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.junit.TestBrokers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 asynchronous sends, then {@code producer.close()} on one thread and {@code client.close()} on
 * another at once (issue 22: on Redis and JetStream sends were reported failed although every one was
 * stored). Closing the client must wait for the producer's close, so every send is confirmed and
 * stored; a send reported failed must be one that really is in doubt and say so.
 */
class CloseRaceIT {
    private static final int SENDS = 500;
    private static final int RUNS = 6;

    @Test
    void redisStreams() throws Exception {
        try (Broker broker = TestBrokers.provide(BrokerKind.REDIS)) {
            race("redis", broker.url());
        }
    }

    @Test
    void jetStream() throws Exception {
        try (Broker broker = TestBrokers.provide(BrokerKind.NATS)) {
            race("jetstream", broker.url() + "?jetstream=true");
        }
    }

    private static void race(String name, String url) throws Exception {
        int reportedFailed = 0;
        int failedButStored = 0;
        for (int run = 1; run <= RUNS; run++) {
            String topic = HealthDrill.fresh("race");
            try (MessagingClient c = Messaging.connect(url)) {
                c.consumer(ConsumerOptions.builder(topic, "count").startPosition(StartPosition.EARLIEST).build()).close();
            }
            MessagingClient client = Messaging.connect(url);
            Producer producer = client.producer(topic);
            List<CompletableFuture<Receipt>> sends = new ArrayList<>();
            for (int i = 0; i < SENDS; i++) {
                sends.add(producer.send(Message.builder().payload("m").id("m-" + i).build()));
            }
            Thread closer = new Thread(producer::close, "producer-closer");
            closer.start();
            client.close();
            closer.join(60_000);

            Set<String> confirmed = new HashSet<>();
            Set<String> failed = new HashSet<>();
            List<String> notInDoubt = new ArrayList<>();
            for (int i = 0; i < SENDS; i++) {
                try {
                    sends.get(i).join();
                    confirmed.add("m-" + i);
                } catch (CompletionException e) {
                    failed.add("m-" + i);
                    if (!String.valueOf(e.getCause().getMessage()).contains("may or may not have been stored")) {
                        notInDoubt.add(e.getCause().toString());
                    }
                }
            }
            Set<String> stored = readAll(url, topic);
            int storedOfFailed = (int) failed.stream().filter(stored::contains).count();
            System.out.printf("%s close race run %d: %d confirmed, %d reported failed (%d of them stored), %d stored%n",
                    name, run, confirmed.size(), failed.size(), storedOfFailed, stored.size());
            assertThat(stored).containsAll(confirmed);
            assertThat(notInDoubt).as("a failed send says it is in doubt").isEmpty();
            reportedFailed += failed.size();
            failedButStored += storedOfFailed;
        }
        assertThat(reportedFailed).as("sends reported failed over " + RUNS + " runs (" + failedButStored + " of them stored)").isZero();
    }

    private static Set<String> readAll(String url, String topic) {
        Set<String> ids = new HashSet<>();
        try (MessagingClient c = Messaging.connect(url);
             Consumer consumer = c.consumer(ConsumerOptions.builder(topic, "count").startPosition(StartPosition.EARLIEST).build())) {
            List<Delivery> got;
            while (!(got = consumer.receive(256, Duration.ofSeconds(3))).isEmpty()) {
                for (Delivery d : got) {
                    ids.add(d.message().id());
                    d.ack();
                }
            }
        }
        return ids;
    }
}
