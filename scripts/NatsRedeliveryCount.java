// Whether a nats-server counts JetStream redeliveries right for pull consumers whose pull requests expire (jnats only,
// no anymq). nats-server before 2.10.14 has a bug (nats-io/nats-server#5305, fixed by commit c3416ca): when a message's
// AckWait passes and the server takes it for redelivery at the moment the only waiting pull request has just expired, it
// "redoes" it as if it were a new message (o.sseq--), so the same message comes again with delivery count 1, and the
// counts behind max deliveries and dead-lettering go wrong. anymq's JetStream members renew their one-second pull
// requests as they expire, so with an AckWait that is a whole number of seconds the two meet within milliseconds.
//
// Each of N durable pull consumers gets one message of its own and never acks it; a thread per consumer pulls one
// message at a time with one-second requests, a new one as the old one expires, for the given seconds. The program
// prints every delivery whose count is not one more than the last count seen for its consumer, and exits 1 if any.
// Run (single-file source, the client jar of mq-cli's shaded jar):
//   java -cp mq-cli/target/mq.jar scripts/NatsRedeliveryCount.java nats://127.0.0.1:4222 [consumers] [seconds]

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class NatsRedeliveryCount {
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "nats://127.0.0.1:4222";
        int consumers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Duration ackWait = Duration.ofSeconds(2);
        Duration pullExpiry = Duration.ofSeconds(1);
        String stream = "RDC" + System.nanoTime();
        io.nats.client.Options options = new io.nats.client.Options.Builder().server(url)
                .errorListener(new io.nats.client.ErrorListener() { }) // the 408s of expired pull requests are expected
                .build();
        try (Connection nc = Nats.connect(options)) {
            System.out.println("nats-server " + nc.getServerInfo().getVersion() + ", " + consumers + " consumers, AckWait "
                    + ackWait.toMillis() + " ms, pull requests of " + pullExpiry.toMillis() + " ms, " + seconds + " s");
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream + ".>").storageType(StorageType.File).build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < consumers; i++) {
                jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable("c" + i)
                        .filterSubject(stream + "." + i).ackPolicy(AckPolicy.Explicit).ackWait(ackWait).build());
                js.publish(stream + "." + i, ("message " + i).getBytes());
            }
            AtomicLong deliveries = new AtomicLong();
            AtomicInteger wrong = new AtomicInteger();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                int c = i;
                Thread t = new Thread(() -> {
                    try {
                        JetStreamSubscription sub = js.subscribe(stream + "." + c, PullSubscribeOptions.bind(stream, "c" + c));
                        long last = 0;
                        long openUntil = 0;
                        while (System.nanoTime() < end) {
                            long now = System.nanoTime();
                            if (now >= openUntil) { // as anymq's member: a new request as the open one expires
                                sub.pullExpiresIn(1, pullExpiry);
                                openUntil = now + pullExpiry.toNanos();
                            }
                            Message m = sub.nextMessage(Duration.ofNanos(Math.max(1_000_000, openUntil - now)));
                            if (m == null || !m.isJetStream()) {
                                continue;
                            }
                            openUntil = 0; // the request of one message is used up
                            long count = m.metaData().deliveredCount();
                            deliveries.incrementAndGet();
                            if (count != last + 1) {
                                wrong.incrementAndGet();
                                System.out.println("consumer c" + c + ": stream sequence " + m.metaData().streamSequence()
                                        + " came with delivery count " + count + " after " + last);
                            }
                            last = count;
                        }
                        sub.unsubscribe();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            jsm.deleteStream(stream);
            System.out.println(deliveries.get() + " deliveries, " + wrong.get() + " with a delivery count out of step");
            System.exit(wrong.get() == 0 ? 0 : 1);
        }
    }
}
