package io.anymq;

import io.anymq.spi.Coalescer;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ReservedHeaders;
import io.anymq.spi.Settlement;
import io.anymq.spi.Uninterruptibly;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A consumer's way to settle: what its deliveries may do (from the client's capabilities), when a
 * message goes to the dead-letter topic (the core alone decides), and how settlements reach the
 * driver: one by one, or gathered into batches for a driver that asks ({@link ConsumerDriver#settlementBatch()}).
 * Made once per consumer and handed to each of its deliveries.
 */
final class Settlements {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String topic;
    private final String group;
    private final String provider;
    private final Capabilities capabilities;
    private final int maxDeliveries;
    /** The longest nack delay the backend takes ({@link Capabilities#maximumNackDelay()}). */
    final Duration maxNackDelay;
    private final boolean countsDeliveries;
    private final String deadLetterTopic;
    /** Sends a message to the dead-letter topic; null without one. */
    private final Function<Message, CompletableFuture<Receipt>> deadLetterSender;
    /** Gathers settlements for a driver that settles in batches; null for one that settles one by one. */
    private final Coalescer<Settlement, Throwable> batches;
    /** Releases under way (expiry, close). */
    private final java.util.Set<CompletableFuture<Void>> releasing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Settlements handed to the batches and not completed by the driver yet. The receive loop lets at
     * most {@link #backlogLimit} of them wait ({@link #backlogRoom}): a consumer that settles as fast as
     * it receives must not outrun the broker's settlement calls (they would pile up without bound, and
     * be lost at close).
     */
    private final java.util.concurrent.atomic.AtomicInteger onTheWay = new java.util.concurrent.atomic.AtomicInteger();
    private final int backlogLimit;
    /** Tells the consumer that settlements completed (room for its receive loop); set once by its constructor. */
    Runnable onBacklogProgress = () -> { };
    /**
     * Tells the consumer that one of its deliveries left the unsettled state (its in-flight room); set once by its
     * constructor, before its first delivery. Run exactly once per delivery.
     */
    Runnable onSettled = () -> { };
    private volatile boolean draining;
    /** The client's interceptors; null when none is installed. */
    final Interceptors interceptors;
    /**
     * At a delivery's deadline the core gives the message back (the broker does not redeliver by
     * itself); set once by the consumer's constructor, before its first delivery.
     */
    boolean releaseOnExpiry;

    Settlements(String provider, Capabilities capabilities, ConsumerOptions options, ConsumerDriver driver,
                Function<Message, CompletableFuture<Receipt>> deadLetterSender, Interceptors interceptors) {
        this.interceptors = interceptors;
        this.topic = options.topic();
        this.group = options.group();
        this.provider = provider;
        this.capabilities = capabilities;
        this.maxDeliveries = options.maxDeliveries();
        this.maxNackDelay = capabilities.maximumNackDelay();
        this.countsDeliveries = capabilities.has(Capability.DELIVERY_COUNT);
        this.deadLetterTopic = options.deadLetterTopic();
        this.deadLetterSender = deadLetterTopic == null ? null : deadLetterSender;
        int batch = driver.settlementBatch();
        int calls = Math.max(1, driver.settlementCalls());
        this.batches = batch > 0 ? new Coalescer<>(driver::settle, batch, calls) : null;
        // the batches under way and a full one gathering behind them (each at least the consumer's in-flight bound)
        this.backlogLimit = batch > 0 ? (calls + 1) * Math.max(batch, options.maxInFlight()) : Integer.MAX_VALUE;
    }

    /**
     * How many more settlements may go to the batches before the receive loop waits for the driver to
     * complete some; {@link Integer#MAX_VALUE} for a driver that settles one by one.
     */
    int backlogRoom() {
        return batches == null ? Integer.MAX_VALUE : backlogLimit - onTheWay.get();
    }

    /** Settlements handed to the driver's batches and not completed yet. */
    int backlog() {
        return onTheWay.get();
    }

    String topic() {
        return topic;
    }

    String group() {
        return group;
    }

    String provider() {
        return provider;
    }

    boolean allows(Capability capability) {
        return capabilities.has(capability);
    }

    void require(Capability capability, String whatNeedsIt) {
        if (!capabilities.has(capability)) {
            throw new UnsupportedCapabilityException(capability, provider, whatNeedsIt);
        }
    }

    /** Whether a delivery arrived already over the maximum deliveries (a crash loop): it goes to the dead-letter topic unseen. */
    boolean exhaustedOnArrival(DriverDelivery d) {
        return maxDeliveries > 0 && countsDeliveries && d.deliveryCount() > maxDeliveries;
    }

    /** Whether a nack of this delivery would pass the maximum deliveries: it goes to the dead-letter topic instead. */
    boolean exhaustedByNack(DriverDelivery d) {
        return maxDeliveries > 0 && d.deliveryCount() >= maxDeliveries;
    }

    /** Whether the backend counts deliveries ({@code DELIVERY_COUNT}): only then is a driver delivery's count read. */
    boolean countsDeliveries() {
        return countsDeliveries;
    }

    /** The interceptors' context for a new delivery (with its count as received), or null when none is installed. */
    Interceptors.Received observe(DriverDelivery d, int deliveryCount) {
        return interceptors == null ? null : interceptors.delivery(topic, group, d, deliveryCount);
    }

    boolean hasDeadLetterTopic() {
        return deadLetterTopic != null;
    }

    CompletableFuture<Void> ack(DriverDelivery d) {
        return carry(new Settlement(d, Settlement.Kind.ACK, Duration.ZERO));
    }

    CompletableFuture<Void> nack(DriverDelivery d, Duration delay) {
        return carry(new Settlement(d, Settlement.Kind.NACK, delay));
    }

    CompletableFuture<Void> reject(DriverDelivery d) {
        return carry(new Settlement(d, Settlement.Kind.REJECT, Duration.ZERO));
    }

    /** Gives the message back to the group; the consumer's close waits for releases under way ({@link #awaitSettlements}). */
    CompletableFuture<Void> release(DriverDelivery d) {
        CompletableFuture<Void> f = carry(new Settlement(d, Settlement.Kind.RELEASE, Duration.ZERO));
        if (!f.isDone()) {
            releasing.add(f);
            f.whenComplete((v, e) -> releasing.remove(f));
        }
        return f;
    }

    /**
     * Waits up to the time for the releases under way to complete (for a driver whose release is
     * asynchronous: it must not be closed under them) and, for a driver that settles in batches, for
     * every settlement on the way (acks made just before close too). Returns how many did not complete
     * in time. An interrupt does not cut the wait short (the flag is set again after).
     */
    int awaitSettlements(Duration time) {
        long deadline = Deadlines.fromNow(time);
        CompletableFuture<?>[] under = releasing.toArray(CompletableFuture[]::new);
        if (under.length > 0) {
            try {
                Uninterruptibly.get(CompletableFuture.allOf(under), Deadlines.nanos(time), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // counted below; a failed release leaves the message to the broker's own redelivery
            }
        }
        awaitBacklog(deadline);
        int left = 0;
        for (CompletableFuture<?> f : under) {
            left += f.isDone() ? 0 : 1;
        }
        return batches == null ? left : onTheWay.get();
    }

    /**
     * Waits until the batches have no settlement left on the way, or the deadline passed, however often the thread is
     * interrupted meanwhile (its flag is set again after): a close does not cut short the settlements it waits for.
     */
    private void awaitBacklog(long deadline) {
        if (batches == null || onTheWay.get() == 0) {
            return;
        }
        draining = true;
        boolean interrupted = false;
        synchronized (onTheWay) {
            long left;
            while (onTheWay.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(onTheWay, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands one settlement to the driver: at once, or in the next batch. */
    private CompletableFuture<Void> carry(Settlement s) {
        if (batches != null) {
            onTheWay.incrementAndGet();
            return batches.submit(s).whenComplete((failure, error) -> completed())
                    .thenCompose(failure -> failure == null ? DONE : CompletableFuture.failedFuture(failure));
        }
        DriverDelivery d = s.delivery();
        try {
            return switch (s.kind()) {
                case ACK -> d.ack();
                case NACK -> d.nack(s.delay());
                case REJECT -> d.reject();
                case RELEASE -> d.release();
            };
        } catch (RuntimeException thrown) {
            return notCarriedOut(d, s.kind() != Settlement.Kind.RELEASE, thrown);
        }
    }

    /**
     * A driver threw instead of settling (the SPI asks for a failed future): the settlement did not take effect, and
     * the delivery already left the user. The settlement's future fails with what was thrown; unless it was a release
     * itself, the message goes back to the group (released), as the broker would do with a message nobody settled, so
     * that it is not left in flight for good. A release that throws too is added to the failure.
     */
    private static CompletableFuture<Void> notCarriedOut(DriverDelivery d, boolean giveBack, RuntimeException thrown) {
        if (giveBack) {
            try {
                d.release();
            } catch (RuntimeException alsoThrown) {
                thrown.addSuppressed(alsoThrown);
            }
        }
        return CompletableFuture.failedFuture(thrown);
    }

    /** One batched settlement completed (either way): room for the receive loop, and for a close waiting. */
    private void completed() {
        int left = onTheWay.decrementAndGet();
        onBacklogProgress.run();
        if (draining && left == 0) {
            synchronized (onTheWay) {
                onTheWay.notifyAll();
            }
        }
    }

    /**
     * Moves the message to the dead-letter topic: atomically where the driver can; otherwise sends it
     * there, then acks it (a crash in between duplicates it there, never loses it). Without a
     * dead-letter topic, rejects it.
     */
    CompletableFuture<Void> deadLetter(DriverDelivery d, String reason) {
        if (deadLetterTopic == null) {
            return reject(d);
        }
        Message forwarded = d.message()
                .withHeader(ReservedHeaders.DEAD_LETTER_REASON, reason)
                .withHeader(ReservedHeaders.ORIGINAL_TOPIC, topic)
                .withHeader(ReservedHeaders.ORIGINAL_GROUP, group)
                .withHeader(ReservedHeaders.DELIVERY_COUNT, Integer.toString(d.deliveryCount()));
        CompletableFuture<Void> atomic;
        CompletableFuture<Receipt> sent;
        try {
            atomic = d.deadLetter(deadLetterTopic, forwarded);
            sent = atomic == null ? deadLetterSender.apply(forwarded) : null;
        } catch (RuntimeException thrown) {
            return notCarriedOut(d, true, thrown);
        }
        if (atomic != null) {
            return atomic;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        sent.whenComplete((receipt, sendError) -> {
            if (sendError != null) {
                // keep the message: give it back to the group; it will be tried again
                release(d);
                done.completeExceptionally(CoreProducer.asMessagingFailure(sendError));
            } else {
                ack(d).whenComplete((v, ackError) -> {
                    if (ackError != null) {
                        done.completeExceptionally(CoreProducer.asMessagingFailure(ackError));
                    } else {
                        done.complete(null);
                    }
                });
            }
        });
        return done;
    }
}
