package io.anymq.bridge;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.MessagingClient;

import java.util.ArrayList;
import java.util.List;

/** What the bridge can promise between two brokers, said in plain sentences (logged, and shown by {@code mq bridge}). */
final class Notes {
    private Notes() {
    }

    /**
     * Whether the destination drops a second copy of a message with an id it has stored already.
     * The API has no capability for it; the bridge knows the backends: only NATS JetStream does
     * (its {@code Nats-Msg-Id} duplicate window). Kafka's idempotent producer drops only its own
     * retries within one producer session, not a copy sent again after a restart.
     */
    static boolean deduplicatesById(MessagingClient destination) {
        return "nats".equals(destination.provider()) && destination.capabilities().has(Capability.AT_LEAST_ONCE);
    }

    static List<String> of(MessagingClient source, MessagingClient destination, boolean keyOrdered, int concurrency) {
        Capabilities src = source.capabilities();
        Capabilities dst = destination.capabilities();
        List<String> notes = new ArrayList<>();
        if (!src.has(Capability.AT_LEAST_ONCE)) {
            notes.add("the source (" + source.provider() + ") delivers at most once: a message received and not yet "
                    + "copied when the bridge dies is lost; no bridge can prevent that");
        }
        if (!dst.has(Capability.AT_LEAST_ONCE)) {
            notes.add("the destination (" + destination.provider() + ") is at-most-once: a confirmed send reaches "
                    + "only the groups connected at that moment");
        }
        if (!dst.has(Capability.PERSISTENCE)) {
            notes.add("the destination (" + destination.provider() + ") does not persist: copies are lost when it restarts");
        }
        if (deduplicatesById(destination)) {
            notes.add("the destination de-duplicates by id (JetStream's Nats-Msg-Id, within the stream's duplicate "
                    + "window, 2 minutes by default): a message copied again after a crash is stored once");
        } else {
            notes.add("the destination (" + destination.provider() + ") does not de-duplicate by id: after a crash "
                    + "or a broker restart a message may arrive twice, with the same id (a consumer can drop it by id)");
        }
        if (keyOrdered) {
            notes.add("per-key order kept: both sides declare KEY_ORDERING; " + concurrency
                    + " lane(s) chosen by key, one send at a time per lane");
        } else {
            String lacking = !src.has(Capability.KEY_ORDERING) && !dst.has(Capability.KEY_ORDERING) ? "neither side declares"
                    : !src.has(Capability.KEY_ORDERING) ? "the source does not declare" : "the destination does not declare";
            notes.add("order is not guaranteed (" + lacking + " KEY_ORDERING); sends are pipelined, " + concurrency
                    + " lane(s) chosen by key");
        }
        if (dst.maxPayloadBytes() < src.maxPayloadBytes()) {
            notes.add("payloads over " + dst.maxPayloadBytes() + " bytes do not fit the destination: they go to the "
                    + "dead-letter destination (or stop the bridge when there is none)");
        }
        return List.copyOf(notes);
    }
}
