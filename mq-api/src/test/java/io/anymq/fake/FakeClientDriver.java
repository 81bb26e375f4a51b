package io.anymq.fake;

import io.anymq.Capabilities;
import io.anymq.ConsumerOptions;
import io.anymq.Message;
import io.anymq.ProducerOptions;
import io.anymq.Receipt;
import io.anymq.spi.ClientDriver;
import io.anymq.spi.ConsumerDriver;
import io.anymq.spi.DriverDelivery;
import io.anymq.spi.ProducerDriver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

final class FakeClientDriver implements ClientDriver {
    private final FakeBroker broker;
    private final Capabilities capabilities;
    private final boolean observed;

    FakeClientDriver(FakeBroker broker, Capabilities capabilities, boolean observed) {
        this.broker = broker;
        this.capabilities = capabilities;
        this.observed = observed;
    }

    @Override
    public io.anymq.spi.ConnectionState connectionState() {
        return observed ? broker.connection : null;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProducerDriver createProducer(ProducerOptions options) {
        String topic = options.topic();
        broker.calls.add("producer.create " + topic);
        return new ProducerDriver() {
            @Override
            public CompletableFuture<Receipt> send(Message message) {
                broker.sent(topic).add(message);
                if (broker.confirmSends.get()) {
                    return CompletableFuture.completedFuture(Receipt.of(topic, message, broker.sent(topic).size()));
                }
                CompletableFuture<Receipt> f = new CompletableFuture<>();
                broker.unconfirmed.add(f);
                return f;
            }

            @Override
            public void flush() {
                RuntimeException e = broker.flushFailure.get();
                if (e != null) {
                    throw e;
                }
            }

            @Override
            public void close() {
                broker.calls.add("producer.close " + topic);
            }
        };
    }

    @Override
    public CompletableFuture<List<Receipt>> commit(io.anymq.spi.TransactionWork work) {
        broker.calls.add("commit " + work.sends().size() + " sends " + work.acks().size() + " acks");
        RuntimeException thrown = broker.throwOnNextCommit.getAndSet(null);
        if (thrown != null) {
            throw thrown;
        }
        RuntimeException failure = broker.failNextCommit.getAndSet(null);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        List<Receipt> receipts = new ArrayList<>();
        for (io.anymq.spi.TransactionWork.Send s : work.sends()) {
            broker.sent(s.topic()).add(s.message());
            receipts.add(Receipt.of(s.topic(), s.message(), broker.sent(s.topic()).size()));
        }
        for (DriverDelivery d : work.acks()) {
            d.ack();
        }
        if (broker.shortNextCommit.getAndSet(false)) {
            receipts.remove(receipts.size() - 1);
        }
        return CompletableFuture.completedFuture(receipts);
    }

    @Override
    public ConsumerDriver createConsumer(ConsumerOptions options) {
        String topic = options.topic();
        BlockingQueue<FakeDelivery> queue = broker.queue(topic);
        broker.calls.add("consumer.create " + topic + " " + options.group());
        boolean enforces = broker.enforcesAckTimeout.get();
        int batch = broker.settlementBatch.get();
        return new ConsumerDriver() {
            @Override
            public int settlementBatch() {
                return batch;
            }

            @Override
            public CompletableFuture<List<Throwable>> settle(List<io.anymq.spi.Settlement> settlements) {
                broker.settlementCalls.add(settlements.size());
                for (io.anymq.spi.Settlement s : settlements) {
                    ((FakeDelivery) s.delivery()).recordBatched(s);
                }
                if (broker.confirmSettlements.get()) {
                    return CompletableFuture.completedFuture(java.util.Collections.nCopies(settlements.size(), null));
                }
                CompletableFuture<List<Throwable>> held = new CompletableFuture<>();
                broker.heldSettlements.add(java.util.Map.entry(settlements.size(), held));
                return held;
            }

            @Override
            public boolean enforcesAckTimeout() {
                return enforces;
            }

            @Override
            public void limitReadAhead(int most) {
                broker.readAheadLimits.add(most);
            }

            @Override
            public List<DriverDelivery> poll(int max, Duration timeout) throws InterruptedException {
                RuntimeException refused = broker.pollFailure.get();
                if (refused != null) {
                    throw refused;
                }
                FakeDelivery first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                List<DriverDelivery> out = new ArrayList<>();
                if (first == null) {
                    return out;
                }
                out.add(first);
                while (out.size() < max) {
                    FakeDelivery next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    out.add(next);
                }
                broker.polled.addAndGet(out.size());
                return out;
            }

            @Override
            public void close() {
                broker.calls.add("consumer.close " + topic + " " + options.group());
            }
        };
    }

    @Override
    public void close() {
        broker.calls.add("client.close");
        if (broker.failSendsOnClose.get()) {
            broker.failSends();
        }
    }
}
