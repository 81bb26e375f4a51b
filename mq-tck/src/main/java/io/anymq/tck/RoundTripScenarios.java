package io.anymq.tck;

import io.anymq.BinaryDataException;
import io.anymq.RepeatedHeaderException;
import io.anymq.Capability;
import io.anymq.Consumer;
import io.anymq.Delivery;
import io.anymq.InvalidMessageException;
import io.anymq.Message;
import io.anymq.MessageTooLargeException;
import io.anymq.Producer;
import io.anymq.Receipt;
import io.anymq.UnsupportedCapabilityException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages arrive as they were sent; oversize ones are refused before they reach the broker. */
public interface RoundTripScenarios extends TckContext {
    int MIB = 1 << 20;

    private static Map<String, String> unicodeHeaders(int index) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("trace-id", "trace-" + index);
        h.put("content-type", "application/octet-stream");
        h.put("greeting", "grüß Gott ✓");
        h.put("japanese", "こんにちは");
        h.put("emoji", "📨🚀");
        h.put("rtl", "שלום");
        h.put("empty", "");
        h.put("spaces", "  leading and trailing  ");
        h.put("punctuation", "a=b;c,d:\"e\"");
        h.put("long", "x".repeat(500));
        h.put("index", Integer.toString(index));
        return h;
    }

    /**
     * Ids, keys and header names and values at the edges applications reach (hundreds of characters, a line break, a
     * colon, CRLF, 100 KB): each one either arrives exactly as it was sent, or is refused at send with a typed error that
     * says the message cannot go as it is ({@link InvalidMessageException}, {@link MessageTooLargeException},
     * {@link UnsupportedCapabilityException}), thrown or as the send's failure; never a lost connection for a message the
     * broker answered, and the producer goes on.
     */
    @Test
    default void edgeIdsKeysAndHeadersArriveExactlyOrAreRefusedAtSend() {
        String topic = name("edges");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        String tag = name("e");
        Map<String, Message.Builder> cases = new LinkedHashMap<>();
        cases.put("a 300-character id", Message.builder().id(tag + "-" + "i".repeat(300)));
        cases.put("an id with a line break", Message.builder().id(tag + "-line\nbreak"));
        cases.put("an id with colons", Message.builder().id(tag + ":with:colons"));
        cases.put("a 300-character key", Message.builder().key("k".repeat(300)));
        cases.put("a key with a line break", Message.builder().key("line\nbreak"));
        cases.put("a key with colons", Message.builder().key("with:colons"));
        cases.put("a 300-character header name", Message.builder().header("h".repeat(300), "v"));
        cases.put("a header name with a colon", Message.builder().header("with:colon", "v"));
        cases.put("a header value with CRLF", Message.builder().header("crlf", "one\r\ntwo"));
        cases.put("a 100 KB header value", Message.builder().header("big", "v".repeat(100_000)));
        Map<String, Message> arriving = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Message.Builder> c : cases.entrySet()) {
            Message.Builder b = c.getValue().payload("edge " + i);
            Message m = c.getKey().contains(" id") ? b.build() : b.id(tag + "-" + i).build();
            i++;
            Throwable failure;
            try {
                Receipt receipt = producer.send(m).join();
                assertThat(receipt.messageId()).as(c.getKey()).isEqualTo(m.id());
                arriving.put(m.id(), m);
                continue;
            } catch (java.util.concurrent.CompletionException e) {
                failure = e.getCause();
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).as("%s: refused with a typed error that names the message's problem", c.getKey())
                    .isInstanceOfAny(InvalidMessageException.class, MessageTooLargeException.class, UnsupportedCapabilityException.class);
            refused.add(c.getKey() + ": " + failure.getMessage());
        }
        Message after = Message.builder().payload("after the edges").id(tag + "-after").build();
        producer.send(after).join();
        arriving.put(after.id(), after);

        List<Delivery> got = receive(consumer, arriving.size(), true);
        assertThat(got).extracting(d -> d.message().id()).as("refused: %s", refused).containsExactlyInAnyOrderElementsOf(arriving.keySet());
        for (Delivery d : got) {
            Message m = arriving.get(d.message().id());
            assertThat(d.message().key()).as("key of %s", m.id()).isEqualTo(m.key());
            assertThat(d.message().headers()).as("headers of %s", m.id()).containsAllEntriesOf(m.headers());
            assertThat(d.message().payload()).isEqualTo(m.payload());
        }
    }

    @Test
    default void roundTripKeepsPayloadKeyHeadersAndId() {
        String topic = name("roundtrip");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        int bigSize = (int) Math.min(MIB, client().capabilities().maxPayloadBytes());
        byte[] big = new byte[bigSize];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        List<byte[]> payloads = List.of(new byte[0], everyByte, big, "plain text".getBytes());
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            Message m = Message.builder().payload(payloads.get(i)).key("key-" + i + "-ключ").headers(unicodeHeaders(i))
                    .id(name("id") + "-" + i).build();
            Receipt receipt = producer.send(m).join();
            assertThat(receipt.messageId()).isEqualTo(m.id());
            assertThat(receipt.topic()).isEqualTo(topic);
            sent.add(m);
        }
        Message unnamed = Message.of("no id given");
        String generatedId = producer.send(unnamed).join().messageId();
        assertThat(generatedId).isNotBlank();

        List<Delivery> got = receive(consumer, sent.size() + 1, true);
        assertThat(got).hasSize(sent.size() + 1);
        for (Message m : sent) {
            Delivery d = got.stream().filter(x -> m.id().equals(x.message().id())).findFirst()
                    .orElseThrow(() -> new AssertionError("message " + m.id() + " did not arrive"));
            assertThat(Arrays.equals(d.message().payload(), m.payload())).as("payload of %s (%d bytes)", m.id(), m.payloadSize()).isTrue();
            assertThat(d.message().key()).isEqualTo(m.key());
            assertThat(d.message().headers()).containsAllEntriesOf(m.headers());
            assertThat(d.message().headers().keySet()).noneMatch(n -> n.toLowerCase().startsWith(Message.RESERVED_HEADER_PREFIX));
            assertThat(d.topic()).isEqualTo(topic);
        }
        if (settings().generatedIdsArrive()) {
            assertThat(got).anySatisfy(d -> assertThat(d.message().id()).isEqualTo(generatedId));
        } else { // kept with the sender by design: the message arrives, named on arrival
            assertThat(got).anySatisfy(d -> {
                assertThat(d.message().payloadAsString()).isEqualTo("no id given");
                assertThat(d.message().id()).isNotBlank();
                assertThat(d.message().timestamp()).isNotNull();
            });
        }
    }

    @Test
    @Requires(Capability.BINARY_DATA)
    default void keysAndHeaderValuesThatAreNotTextArriveByteExact() {
        String topic = name("binary");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        byte[] key = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, (byte) 0x80, 'k'};
        byte[] value = {(byte) 0xfe, (byte) 0xed, 0x00, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        Message m = Message.builder().payload("binary").keyBytes(key).headerBytes("raw", value).header("text", "grüß")
                .id(name("id")).build();
        producer.send(m).join();
        Delivery d = receive(consumer, 1, true).get(0);
        assertThat(d.message().keyBytes()).isEqualTo(key);
        assertThat(d.message().hasBinaryKey()).isTrue();
        assertThat(d.message().headerBytes("raw")).isEqualTo(value);
        assertThat(d.message().header("text")).isEqualTo("grüß");
        assertThatThrownBy(() -> d.message().key()).isInstanceOf(BinaryDataException.class);
        assertThatThrownBy(() -> d.message().header("raw")).isInstanceOf(BinaryDataException.class);
    }

    @Test
    @Requires(Capability.NULL_HEADER_VALUES)
    default void aHeaderWithoutValueArrivesWithoutValue() {
        String topic = name("nullheader");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        producer.send(Message.builder().payload("x").headerBytes("none", (byte[]) null).header("empty", "").build()).join();
        Message got = receive(consumer, 1, true).get(0).message();
        assertThat(got.headersAsBytes()).containsKey("none");
        assertThat(got.headersAsBytes().get("none")).isNull();
        assertThat(got.headersAsBytes().get("empty")).isEmpty();
        assertThatThrownBy(() -> got.header("none")).isInstanceOf(BinaryDataException.class);
    }

    @Test
    @Requires(Capability.REPEATED_HEADERS)
    default void aRepeatedHeaderNameArrivesWithEveryValueInOrder() {
        String topic = name("repeated");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        producer.send(Message.builder().payload("x").addHeader("h", "1").header("other", "o").addHeader("h", "2")
                .addHeader("h", "1").build()).join();
        Message got = receive(consumer, 1, true).get(0).message();
        assertThat(got.hasRepeatedHeaders()).isTrue();
        assertThat(got.headerValues("h")).containsExactly("1", "2", "1");
        assertThat(got.headerValues("other")).containsExactly("o");
        assertThat(got.header("other")).isEqualTo("o");
        assertThatThrownBy(() -> got.header("h")).isInstanceOf(RepeatedHeaderException.class);
        assertThatThrownBy(got::headers).isInstanceOf(RepeatedHeaderException.class);
    }

    @Test
    default void oversizeIsRefusedBeforeReachingTheBroker() {
        long max = client().capabilities().maxPayloadBytes();
        if (max > 64L * MIB) {
            observe("oversizeIsRefusedBeforeReachingTheBroker", "max payload " + max + " bytes: too large to test by allocation");
            return;
        }
        String topic = name("oversize");
        Consumer consumer = consumer(topic, name("g"));
        Producer producer = producer(topic);
        assertThatThrownBy(() -> producer.send(Message.of(new byte[(int) max + 1])))
                .isInstanceOf(MessageTooLargeException.class);
        producer.send(Message.of(new byte[(int) Math.min(max, 1024)])).join();
        List<Delivery> got = receive(consumer, 1, true);
        assertThat(got).singleElement().satisfies(d -> assertThat(d.message().payloadSize()).isEqualTo((int) Math.min(max, 1024)));
        assertThat(receiveDuringAbsenceWait(consumer)).isEmpty();
    }
}
