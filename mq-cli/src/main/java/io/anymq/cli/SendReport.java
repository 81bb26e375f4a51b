package io.anymq.cli;

import io.anymq.Message;
import io.anymq.MessagingException;
import io.anymq.Producer;
import io.anymq.Receipt;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The sends of one {@code mq send} and what became of each, reported in send order: with
 * {@code --format json} one JSON line per message on stdout, else (with {@code --verbose}) a
 * {@code confirmed} line per message and an {@code mq: message N failed} line on stderr per
 * failure. A message that cannot be made from its input (a bad JSON line, an empty key) is a
 * failure of that message too. Once a failure is known nothing more is sent; {@link #finish()}
 * then fails with how many were confirmed.
 */
final class SendReport {
    private record Pending(int index, int line, String id, CompletableFuture<Receipt> receipt) {
    }

    private final String topic;
    private final boolean json;
    private final boolean verbose;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicBoolean anyFailed = new AtomicBoolean();
    private int sent;
    private int confirmed;
    private int failed;

    SendReport(String topic, boolean json, boolean verbose, PrintWriter out, PrintWriter err) {
        this.topic = topic;
        this.json = json;
        this.verbose = verbose;
        this.out = out;
        this.err = err;
    }

    /**
     * Makes the message and sends it.
     *
     * @param line the input line it came from (1 is the first), 0 for an argument or all of stdin
     */
    void send(Producer producer, int line, Supplier<Message> make) {
        int index = sent++;
        Message m = null;
        CompletableFuture<Receipt> receipt;
        try {
            m = make.get();
            receipt = producer.send(m);
        } catch (Json.InvalidJsonException | MessagingException e) {
            receipt = CompletableFuture.failedFuture(e);
        }
        receipt.whenComplete((r, e) -> {
            if (e != null) {
                anyFailed.set(true);
            }
        });
        pending.add(new Pending(index, line, m == null ? null : m.id(), receipt));
    }

    /** Whether a send failed (so far as known): then nothing more is sent. */
    boolean failed() {
        return anyFailed.get();
    }

    /** Reports the sends that completed, in order, and waits for the oldest while more than {@code max} are open. */
    void confirmIfMany(int max) {
        while (!pending.isEmpty() && (pending.size() > max || pending.peek().receipt().isDone())) {
            report(pending.poll());
        }
    }

    /** Waits for every send and reports each. */
    void confirmAll() {
        while (!pending.isEmpty()) {
            report(pending.poll());
        }
    }

    private void report(Pending p) {
        Receipt r;
        try {
            r = p.receipt().join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            failed++;
            if (json) {
                out.println(start(p) + ",\"id\":" + Json.string(p.id()) + ",\"error\":" + Json.string(Main.describe(cause))
                        + ",\"errorType\":" + Json.string(cause.getClass().getSimpleName()) + "}");
                out.flush();
            } else {
                err.println("mq: message " + p.index() + (p.line() > 0 ? " (line " + p.line() + ")" : "") + " failed: " + Main.describe(cause));
                err.flush();
            }
            return;
        }
        confirmed++;
        if (json) {
            out.println(start(p) + ",\"id\":" + Json.string(r.messageId()) + ",\"position\":"
                    + Json.string(r.position().isEmpty() ? null : r.position()) + ",\"timestamp\":" + Json.string(r.timestamp().toString()) + "}");
            out.flush();
        } else if (verbose) {
            out.printf("confirmed id=%s position=%s%n", r.messageId(), r.position());
        }
    }

    private static String start(Pending p) {
        return "{\"index\":" + p.index() + ",\"line\":" + (p.line() > 0 ? Integer.toString(p.line()) : "null");
    }

    /**
     * The summary: on stdout (stderr with {@code --format json}, whose stdout is the JSON lines) when every send
     * was confirmed.
     *
     * @throws Main.Failed a send failed: how many were confirmed, how many failed
     */
    void finish() {
        if (failed > 0) {
            throw new Main.Failed(confirmed + " of " + sent + " message(s) sent to '" + topic + "' were confirmed, " + failed
                    + " failed; sending stopped at the first failure, so no later input was sent");
        }
        (json ? err : out).printf("sent %d message(s) to '%s'; every send was confirmed%n", sent, topic);
    }
}
