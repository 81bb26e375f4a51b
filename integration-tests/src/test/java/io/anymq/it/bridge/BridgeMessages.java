package io.anymq.it.bridge;

import io.anymq.Message;

import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The numbered messages the bridge tests send: every field is made from the number, so a received
 * copy is checked field by field against what was sent, without keeping the originals.
 */
final class BridgeMessages {
    /**
     * Timestamps near now: the copy keeps the source's timestamp, and Kafka's time-based retention
     * (7 days) deletes a segment whose records are older at once, so a fixed old base loses messages
     * at a Kafka source or destination within a retention check.
     */
    private static final long BASE_MILLIS = System.currentTimeMillis() / 1000 * 1000;

    private BridgeMessages() {
    }

    static String id(int i) {
        return "b-" + i;
    }

    /** Binary payload (not UTF-8, 8 to 263 bytes), a key, three headers (one value in Unicode), id, timestamp. */
    static Message numbered(int i) {
        Random r = new Random(i);
        byte[] payload = new byte[8 + r.nextInt(256)];
        r.nextBytes(payload);
        payload[0] = (byte) 0xC3; // never valid UTF-8: 0xC3 followed by a non-continuation byte
        payload[1] = (byte) 0x28;
        return Message.builder().payload(payload).key("k" + (i % 50)).header("seq", Integer.toString(i))
                .header("trace-id", "t-" + Integer.toHexString(i)).header("note", "välue ✓ " + i)
                .id(id(i)).timestamp(Instant.ofEpochMilli(BASE_MILLIS + i)).build();
    }

    /** The number of a message sent by {@link #numbered}. */
    static int number(Message m) {
        assertThat(m.id()).startsWith("b-");
        return Integer.parseInt(m.id().substring(2));
    }

    /** Asserts that the copy is the numbered message, byte for byte. */
    static void assertExact(Message got) {
        Message want = numbered(number(got));
        assertThat(got.id()).isEqualTo(want.id());
        assertThat(got.key()).as("key of %s", got.id()).isEqualTo(want.key());
        assertThat(got.headers()).as("headers of %s", got.id()).containsExactlyInAnyOrderEntriesOf(want.headers());
        assertThat(got.timestamp()).as("timestamp of %s", got.id()).isEqualTo(want.timestamp());
        assertThat(Arrays.equals(got.payload(), want.payload())).as("payload of %s is byte-exact", got.id()).isTrue();
    }

    /** The same as a yes/no answer, for a drill that counts instead of failing at the first. */
    static boolean isExact(Message got) {
        try {
            assertExact(got);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
