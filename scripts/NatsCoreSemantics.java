// What anymq's promises cost on core NATS when written by hand on jnats (no anymq code): issue #25's "native program of
// the same semantics" for `nats://…?send-generated-ids=false`. One publisher thread and one consumer, 100-byte messages,
// three variants on fresh connections, in ABC/CBA order:
//   plain      what `mq bench --native` runs: publish(subject, payload); a Dispatcher in a queue group counts
//   same       the API's promises by hand: the application's immutable message (its payload copied), checked (the
//              connection open, the size against the server's max_payload) and stamped (a ULID's millisecond and
//              sequence, formatted only when read) into a second immutable message; a bounded in-flight window and a
//              count of unanswered sends (what close and flush wait for); a completed future with a receipt. The
//              consumer: one thread polls a synchronous subscription in batches within an in-flight bound, names and
//              times each message on arrival (lazily), wraps it in a delivery with a settlement state, hands it to
//              the handler on the polling thread and acks it (the state's CAS, the bound's room given back)
//   same-dispatcher   the same objects, handled in a jnats Dispatcher's callback instead of a polling thread
//   anymq      the SDK itself in the same loop (`?send-generated-ids=false`, `send(Message.of(payload))`, a subscription
//              of concurrency 1 whose handler counts), for the comparison within one harness
// Each round sends N messages, the publisher kept within 100,000 of the consumer, and prints msg/s (first send to last
// receipt), process CPU per message and the bytes the process' threads allocated per message. Run (single-file source, jnats from mq-cli's shaded jar):
//   java -cp mq-cli/target/mq.jar scripts/NatsCoreSemantics.java nats://127.0.0.1:4222 [messages] [rounds] [variants]
// (variants: comma-separated, default plain,same,same-dispatcher,anymq)

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Subscription;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

public class NatsCoreSemantics {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated so far by the threads alive now (the round's connections, poller and dispatcher included). */
    static long allocated() {
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    static String ulid(long millis, long seq) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--, millis >>>= 5) {
            out[i] = CROCKFORD[(int) (millis & 31)];
        }
        for (int i = 25; i >= 10; i--, seq >>>= 5) {
            out[i] = CROCKFORD[(int) (seq & 31)];
        }
        return new String(out);
    }

    /** An immutable message: the payload, and an id and time made from the stamp only when read. */
    static final class Msg {
        final byte[] payload;
        final long millis;
        final long seq;
        private String id;

        Msg(byte[] payload, long millis, long seq) {
            this.payload = payload;
            this.millis = millis;
            this.seq = seq;
        }

        String id() {
            String i = id;
            return i != null ? i : (id = ulid(millis, seq));
        }

        Instant timestamp() {
            return Instant.ofEpochMilli(millis);
        }
    }

    record Receipt(String topic, Msg message) {
    }

    /** The producer's promises: checks, the stamp, the window, the unanswered count, the receipt's future. */
    static final class Producer {
        final Connection connection;
        final String subject;
        final long maxPayload;
        final Semaphore window = new Semaphore(1024);
        final AtomicInteger unanswered = new AtomicInteger();
        volatile boolean closed;
        long seq = System.nanoTime();

        Producer(Connection connection, String subject) {
            this.connection = connection;
            this.subject = subject;
            this.maxPayload = connection.getMaxPayload();
        }

        CompletableFuture<Receipt> send(Msg userMessage) throws InterruptedException {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (userMessage.payload.length > maxPayload) {
                throw new IllegalArgumentException("too large");
            }
            Msg stamped = new Msg(userMessage.payload, System.currentTimeMillis(), seq++);
            if (!window.tryAcquire()) {
                window.acquire();
            }
            unanswered.incrementAndGet();
            connection.publish(subject, stamped.payload);
            CompletableFuture<Receipt> f = CompletableFuture.completedFuture(new Receipt(subject, stamped));
            window.release();
            unanswered.decrementAndGet();
            return f;
        }
    }

    /** A delivery: the message and its settlement state; settling gives the consumer's room back. */
    static final class Delivery {
        final Msg message;
        final AtomicInteger unsettled;
        final AtomicInteger state = new AtomicInteger();

        Delivery(Msg message, AtomicInteger unsettled) {
            this.message = message;
            this.unsettled = unsettled;
        }

        CompletableFuture<Void> ack() {
            if (!state.compareAndSet(0, 1)) {
                throw new IllegalStateException("settled already");
            }
            unsettled.decrementAndGet();
            return DONE; // core NATS: nothing to tell the server
        }

        boolean isSettled() {
            return state.get() != 0;
        }
    }

    static Delivery arrived(io.nats.client.Message m, AtomicInteger unsettled) {
        unsettled.incrementAndGet();
        return new Delivery(new Msg(m.getData(), System.currentTimeMillis(), System.nanoTime()), unsettled);
    }

    static void handled(Delivery d, Consumer<Delivery> handler) {
        handler.accept(d);
        if (!d.isSettled()) {
            d.ack();
        }
    }

    public static void main(String[] a) throws Exception {
        String url = a[0];
        int n = a.length > 1 ? Integer.parseInt(a[1]) : 2_000_000;
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 4;
        String[] order = a.length > 3 ? a[3].split(",") : new String[] {"plain", "same", "same-dispatcher", "anymq"};
        String[] reverse = new String[order.length];
        for (int i = 0; i < order.length; i++) {
            reverse[i] = order[order.length - 1 - i];
        }
        for (int round = 0; round < rounds; round++) {
            for (String variant : round % 2 == 0 ? order : reverse) {
                run(url, variant, "semantics." + round + "." + variant, n, round);
            }
        }
    }

    private static void run(String url, String variant, String subject, int n, int round) throws Exception {
        if (variant.equals("anymq")) {
            runAnymq(url, subject.replace('.', '-'), n, round);
            return;
        }
        try (Connection pub = Nats.connect(url); Connection sub = Nats.connect(url)) {
            AtomicLong got = new AtomicLong();
            AtomicInteger unsettled = new AtomicInteger();
            Consumer<Delivery> handler = d -> got.incrementAndGet();
            Thread poller = null;
            Dispatcher dispatcher = null;
            Subscription syncSub = null;
            switch (variant) {
                case "plain" -> {
                    dispatcher = sub.createDispatcher(m -> got.incrementAndGet());
                    dispatcher.subscribe(subject, "g");
                }
                case "same-dispatcher" -> {
                    dispatcher = sub.createDispatcher(m -> handled(arrived(m, unsettled), handler));
                    dispatcher.subscribe(subject, "g");
                }
                default -> {
                    Subscription s = sub.subscribe(subject, "g");
                    syncSub = s;
                    int maxInFlight = 256;
                    poller = new Thread(() -> {
                        try {
                            while (got.get() < n) {
                                int room = maxInFlight - unsettled.get();
                                io.nats.client.Message first = s.nextMessage(Duration.ofMillis(100));
                                if (first == null) {
                                    if (!s.isActive()) {
                                        return;
                                    }
                                    continue;
                                }
                                List<Delivery> batch = new ArrayList<>((int) Math.min(room, s.getPendingMessageCount() + 1));
                                batch.add(arrived(first, unsettled));
                                io.nats.client.Message more;
                                while (batch.size() < room && s.getPendingMessageCount() > 0
                                        && (more = s.nextMessage(Duration.ofMillis(1))) != null) {
                                    batch.add(arrived(more, unsettled));
                                }
                                for (Delivery d : batch) {
                                    handled(d, handler);
                                }
                            }
                        } catch (InterruptedException | IllegalStateException e) {
                            // closed
                        }
                    }, "poller");
                    poller.start();
                }
            }
            sub.flush(Duration.ofSeconds(5));
            Producer producer = new Producer(pub, subject);
            byte[] body = new byte[100];
            Subscription counted = syncSub;
            Dispatcher dispatched = dispatcher;
            measure(variant, round, n, got, variant.equals("plain")
                    ? () -> pub.publish(subject, body)
                    : () -> producer.send(new Msg(body.clone(), 0, 0)).join(), // the application's message: Message.of(payload) copies
                    () -> dispatched != null ? dispatched.getDroppedCount() : counted.getDroppedCount());
            if (syncSub != null) {
                syncSub.unsubscribe();
            }
            if (poller != null) {
                poller.interrupt();
                poller.join(2000);
            }
        }
    }

    private static void runAnymq(String url, String topic, int n, int round) throws Exception {
        try (io.anymq.MessagingClient pubClient = io.anymq.Messaging.connect(url + "?send-generated-ids=false");
             io.anymq.MessagingClient subClient = io.anymq.Messaging.connect(url + "?send-generated-ids=false")) {
            AtomicLong got = new AtomicLong();
            io.anymq.Consumer consumer = subClient.consumer(io.anymq.ConsumerOptions.builder(topic, "g").build());
            io.anymq.Subscription subscription = consumer.subscribe(d -> got.incrementAndGet(),
                    io.anymq.SubscribeOptions.builder().concurrency(1).build());
            io.anymq.Producer producer = pubClient.producer(topic);
            byte[] body = new byte[100];
            measure("anymq", round, n, got, () -> producer.send(io.anymq.Message.of(body)).join(), () -> 0);
            subscription.close();
            consumer.close();
        }
    }

    /** One send of a variant. */
    interface Send {
        void send() throws Exception;
    }

    /**
     * Sends n messages, kept within 100,000 of the consumer's count, waits (10 s at most) until all came, and prints the
     * round: msg/s from the first send to the last receipt, process CPU and bytes allocated per message.
     */
    private static void measure(String variant, int round, int n, AtomicLong got, Send send, java.util.function.LongSupplier dropped)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long alloc0 = allocated();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            send.send();
            if ((i & 1023) == 1023) {
                long waitFrom = System.nanoTime();
                while (i + 1 - got.get() > 100_000) {
                    Thread.onSpinWait();
                    if (System.nanoTime() - waitFrom > 5_000_000_000L) {
                        throw new IllegalStateException(variant + ": the consumer fell behind by 100,000 for 5 s");
                    }
                }
            }
        }
        long waitFrom = System.nanoTime();
        while (got.get() < n && System.nanoTime() - waitFrom < 10_000_000_000L) {
            Thread.sleep(1);
        }
        long nanos = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long alloc = allocated() - alloc0;
        System.out.printf("round %d %-16s %,10d of %,d received (%d dropped) %,10.0f msg/s  CPU %,5.0f ns/msg  %,4.0f B/msg%n",
                round, variant, got.get(), n, dropped.getAsLong(), got.get() / (nanos / 1e9), cpu / (double) n, alloc / (double) n);
    }
}
