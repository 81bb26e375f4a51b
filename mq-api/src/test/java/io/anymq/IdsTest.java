package io.anymq;

import io.anymq.spi.IdTimes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {
    @Test
    void idsFromManyThreadsAreUniqueAndEachThreadsSortInCreationOrder() throws Exception {
        int threads = 8;
        int perThread = 5 * Ids.BLOCK + 7; // several blocks each, and a partial one
        List<List<String>> made = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> mine = new ArrayList<>(perThread);
            made.add(mine);
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    mine.add(Ids.next());
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        Set<String> all = new HashSet<>();
        for (List<String> mine : made) {
            assertEquals(perThread, mine.size());
            for (int i = 0; i < mine.size(); i++) {
                String id = mine.get(i);
                assertTrue(all.add(id), "duplicate id " + id);
                assertEquals(Ids.LENGTH, id.length());
                if (i > 0) {
                    assertTrue(mine.get(i - 1).compareTo(id) < 0, "one thread's ids out of order: " + mine.get(i - 1) + " then " + id);
                }
            }
        }
        assertEquals(threads * perThread, all.size());
    }

    @Test
    void aPrefixedIdIsThePrefixThenTheSameId() {
        long millis = 1_764_500_000_123L;
        long count = Ids.nextCount();
        String id = Ids.format(millis, count);
        assertEquals("_x." + id, Ids.format("_x.", millis, count));
        assertEquals(Instant.ofEpochMilli(millis), IdTimes.timeOf(id));
        assertEquals(millis, IdTimes.millisOfUlidAt("_x." + id, 3));
        assertEquals(-1, IdTimes.millisOfUlidAt("_x." + id, 2));
        assertEquals(-1, IdTimes.millisOfUlidAt("_x." + id.substring(1) + "U", 3)); // U is no Crockford digit
    }

    @Test
    void aGeneratedIdComesPrefixedWithoutFormattingTheMessagesOwn() {
        Message sent = Message.of("x").stampedLazily(1_764_500_000_123L);
        String prefixed = IdTimes.prefixedGeneratedId("_p.", sent);
        assertEquals("_p." + sent.id(), prefixed);
        assertTrue(IdTimes.timestampInId(sent));
        assertNull(IdTimes.prefixedGeneratedId("_p.", Message.builder().payload("x").id("given").build().stampedLazily(1L)));
    }

    @Test
    void aTimestampGivenByItsMillisecondsIsTheSameTimestampOnEveryPath() {
        long millis = 1_764_500_000_123L;
        Instant at = Instant.ofEpochMilli(millis);
        Message lazy = IdTimes.timestampMillis(Message.builder().payload("x").id("a"), millis).build();
        Message eager = Message.builder().payload("x").id("a").timestamp(at).build();
        assertEquals(at, lazy.timestamp());
        assertEquals(eager, lazy);
        assertEquals(eager.hashCode(), lazy.hashCode());
        assertEquals(at, lazy.toBuilder().build().timestamp());
        assertEquals(at, lazy.withHeader("h", "v").timestamp());
        assertEquals(at, lazy.stampedLazily(1L).timestamp()); // a stamp at send keeps the time it has
        // the other ways a builder makes a message (bytes headers, a repeated name) keep it too
        assertEquals(at, IdTimes.timestampMillis(Message.builder().payload("x").headerBytes("b", new byte[] {(byte) 0xff}), millis).build().timestamp());
        assertEquals(at, IdTimes.timestampMillis(Message.builder().payload("x").addHeader("r", "1").addHeader("r", "2"), millis).build().timestamp());
        assertEquals(at, IdTimes.timestampMillis(Message.builder().payload("x").addHeader("r", "1"), millis).build().timestamp());
        // a timestamp given afterwards replaces it, also a null one (then the send stamps the time)
        assertEquals(Instant.EPOCH, IdTimes.timestampMillis(Message.builder().payload("x"), millis).timestamp(Instant.EPOCH).build().timestamp());
        assertNull(IdTimes.timestampMillis(Message.builder().payload("x"), millis).timestamp(null).build().timestamp());
    }

    @Test
    void aTimestampGivenByItsMillisecondsIsCheckedAtSendLikeAnyOther() {
        long tooLate = Message.LATEST_TIME.toEpochMilli() + 1; // a ULID's 48 bits reach past the year 9999
        Message m = IdTimes.timestampMillis(Message.builder().payload("x").id("a"), tooLate).build();
        org.junit.jupiter.api.Assertions.assertThrows(InvalidMessageException.class, () -> Message.checkTimesForSend(m));
    }

    @Test
    void aMessageNamedAtReceiptHasAnIdAndTheTimeOfReceiptMadeWhenRead() {
        long millis = 1_764_500_000_123L;
        Message a = IdTimes.namedAtReceipt(Message.builder().payload("x"), millis).build();
        Message b = IdTimes.namedAtReceipt(Message.builder().payload("x"), millis).build();
        assertEquals(Instant.ofEpochMilli(millis), a.timestamp());
        assertEquals(26, a.id().length());
        assertEquals(a.id(), a.id()); // made once
        assertEquals(Instant.ofEpochMilli(millis), IdTimes.timeOf(a.id()));
        assertTrue(!a.id().equals(b.id())); // every message its own id
        assertEquals(a.id(), a.toBuilder().build().id());
        assertEquals(a.id(), a.stampedLazily(1L).id()); // forwarded, it keeps its name
        // the other ways a builder makes a message name it too
        assertEquals(26, IdTimes.namedAtReceipt(Message.builder().payload("x").addHeader("r", "1").addHeader("r", "2"), millis).build().id().length());
        assertEquals(26, IdTimes.namedAtReceipt(Message.builder().payload("x").headerBytes("b", new byte[] {(byte) 0xff}), millis).build().id().length());
        // an id given afterwards replaces the made one (the time of receipt stays); a timestamp given afterwards both
        Message given = IdTimes.namedAtReceipt(Message.builder().payload("x"), millis).id("given").build();
        assertEquals("given", given.id());
        assertEquals(Instant.ofEpochMilli(millis), given.timestamp());
        Message timed = IdTimes.namedAtReceipt(Message.builder().payload("x"), millis).timestamp(null).build();
        assertNull(timed.id());
        assertNull(timed.timestamp());
    }
}
