package io.anymq;

import io.anymq.spi.IdTimes;
import io.anymq.spi.Ulids;
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
        assertEquals("_x." + id, Ids.format("_x.", millis, count, false));
        assertEquals(Instant.ofEpochMilli(millis), IdTimes.timeOf(id));
        assertEquals(millis, IdTimes.millisOfUlidAt("_x." + id, 3));
        assertEquals(-1, IdTimes.millisOfUlidAt("_x." + id, 2));
        assertEquals(-1, IdTimes.millisOfUlidAt("_x." + id.substring(1) + "U", 3)); // U is no Crockford digit
    }

    @Test
    void theCompactFormIsTheBinaryUlidInBase64UrlAndComesBackAsTheSameUlid() {
        // the ULID specification's example: 01ARZ3NDEKTSV4RRFFQ69G5FAV is 0x01563E3AB5D3D6764C61EFB99302BD5B
        String ulid = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
        byte[] binary = java.util.HexFormat.of().parseHex("01563E3AB5D3D6764C61EFB99302BD5B");
        String compact = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(binary);
        assertEquals("_p." + compact, Ulids.compactOf("_p.", ulid));
        assertEquals(ulid, Ulids.canonicalOfCompactAt("_p." + compact, 3));
        assertEquals(ulid, Ulids.canonicalOfCompactAt(compact, 0));
        // every generated id both ways, and the extremes of the 128 bits
        for (int i = 0; i < 1000; i++) {
            String id = Ids.next();
            String c = Ulids.compactOf("", id);
            assertEquals(Ulids.COMPACT_LENGTH, c.length());
            assertEquals(id, Ulids.canonicalOfCompactAt(c, 0));
            assertEquals(16, java.util.Base64.getUrlDecoder().decode(c).length);
        }
        assertEquals("00000000000000000000000000", Ulids.canonicalOfCompactAt("AAAAAAAAAAAAAAAAAAAAAA", 0));
        assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", Ulids.canonicalOfCompactAt("_____________________w", 0));
        // not a compact ULID: a length, a character, bits after the 128th; not a ULID: I, L, O, U or a first digit over 7
        assertNull(Ulids.canonicalOfCompactAt(compact + "A", 0));
        assertNull(Ulids.canonicalOfCompactAt(compact.substring(1), 0));
        assertNull(Ulids.canonicalOfCompactAt(compact.substring(0, 21) + ".", 0));
        assertNull(Ulids.canonicalOfCompactAt(compact.substring(0, 21) + "x", 0));
        assertNull(Ulids.compactOf("", "01ARZ3NDEKTSV4RRFFQ69G5FAU"));
        assertNull(Ulids.compactOf("", "81ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertNull(Ulids.compactOf("", "order-7"));
    }

    @Test
    void aGeneratedIdComesCompactWithoutFormattingTheMessagesOwn() {
        Message sent = Message.of("x").stampedLazily(1_764_500_000_123L);
        String prefixed = IdTimes.prefixedCompactId("_p.", sent);
        assertEquals(Ulids.compactOf("_p.", sent.id()), prefixed);
        Message given = Message.builder().payload("x").id("01ARZ3NDEKTSV4RRFFQ69G5FAV").timestamp(Instant.ofEpochMilli(1469922850259L)).build();
        assertEquals(Ulids.compactOf("_p.", given.id()), IdTimes.prefixedCompactId("_p.", given));
        // an id that is no ULID, or a ULID of another time than the message's timestamp: none
        assertNull(IdTimes.prefixedCompactId("_p.", given.toBuilder().timestamp(Instant.ofEpochMilli(1469922850260L)).build()));
        assertNull(IdTimes.prefixedCompactId("_p.", Message.builder().payload("x").id("given").build().stampedLazily(1L)));
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
}
