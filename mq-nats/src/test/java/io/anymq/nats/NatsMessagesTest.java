package io.anymq.nats;

import io.anymq.Message;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NatsMessagesTest {

    @Test
    void headerTextThatNatsCannotCarryIsEncodedAndComesBack() {
        assertThat(NatsMessages.encode("plain-value 1")).isEqualTo("plain-value 1");
        for (String s : new String[]{"grüß", "", " lead", "trail ", "こんにちは", "=?utf-8?b?looks encoded?=", "tab\there"}) {
            String encoded = NatsMessages.encode(s);
            assertThat(encoded.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(encoded).isTrue();
            assertThat(NatsMessages.decode(encoded)).isEqualTo(s);
        }
        assertThat(NatsMessages.decode("=?utf-8?b?not base64!?=")).isEqualTo("=?utf-8?b?not base64!?=");
    }

    @Test
    void aHeaderNameWithAColonIsEncodedAndComesBack() {
        Message m = Message.builder().payload("x").id("id-1").header("a:b", "v:w").build();
        NatsMessage n = NatsMessages.toNats("orders", m);
        assertThat(n.getHeaders().keySet()).noneMatch(k -> k.contains(":"));
        Message back = NatsMessages.fromNats(n);
        assertThat(back.headers()).containsEntry("a:b", "v:w");
    }

    @Test
    void aMessageRoundTripsThroughANatsMessage() {
        Message m = Message.builder().payload("p").key("k-ü").id("id-1").timestamp(Instant.ofEpochMilli(1234))
                .header("greeting", "grüß").header("plain", "x").build();
        NatsMessage n = NatsMessages.toNats("orders", m);
        assertThat(n.getSubject()).isEqualTo("orders");
        assertThat(n.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("id-1");
        assertThat(n.getHeaders().getFirst("plain")).isEqualTo("x");
        Message back = NatsMessages.fromNats(n);
        assertThat(back).isEqualTo(m);
    }

    @Test
    void aMultiValuedHeaderKeepsEveryValueInOrderBothWays() {
        NatsMessage plain = new NatsMessage("orders", null,
                new io.nats.client.impl.Headers().add("h", "1", NatsMessages.encode("grüß")).add("other", "o").add("h", "3"), new byte[0]);
        Message m = NatsMessages.fromNats(plain);
        assertThat(m.headerValues("h")).containsExactly("1", "grüß", "3");
        assertThat(m.header("other")).isEqualTo("o");
        NatsMessage back = NatsMessages.toNats("orders", Message.builder().payload("p").id("i")
                .addHeader("h", "1").addHeader("h", "grüß").build());
        assertThat(back.getHeaders().get("h")).containsExactly("1", NatsMessages.encode("grüß"));
        assertThat(NatsMessages.fromNats(back).headerValues("h")).containsExactly("1", "grüß");
    }

    @Test
    void theTimestampTravelsInsideAGeneratedIdAndAsAHeaderOtherwise() {
        Instant at = Instant.ofEpochMilli(1469922850259L);
        Message ulid = Message.builder().payload("p").id("01ARZ3NDEKTSV4RRFFQ69G5FAV").timestamp(at).build();
        NatsMessage n = NatsMessages.toNats("orders", ulid);
        assertThat(n.getHeaders().keySet()).containsExactly("Nats-Msg-Id");
        assertThat(NatsMessages.fromNats(n)).isEqualTo(ulid);

        Message later = Message.builder().payload("p").id("01ARZ3NDEKTSV4RRFFQ69G5FAV").timestamp(at.plusMillis(1)).build();
        NatsMessage n2 = NatsMessages.toNats("orders", later);
        assertThat(n2.getHeaders().getFirst("anymq-timestamp")).isEqualTo(Long.toString(at.toEpochMilli() + 1));
        assertThat(NatsMessages.fromNats(n2)).isEqualTo(later);

        NatsMessage plain = new NatsMessage("orders", null, new io.nats.client.impl.Headers().add("Nats-Msg-Id", "order-7"), new byte[0]);
        assertThat(NatsMessages.fromNats(plain).timestamp()).isNull();
    }

    @Test
    void anIdThatIsAllAMessageCarriesTravelsAsTheReplySubjectWithoutHeaders() {
        Instant at = Instant.ofEpochMilli(1469922850259L);
        Message bare = Message.builder().payload("p").id("01ARZ3NDEKTSV4RRFFQ69G5FAV").timestamp(at).build();
        assertThat(NatsMessages.idReplySubject(bare)).isEqualTo("_mq.01ARZ3NDEKTSV4RRFFQ69G5FAV");
        NatsMessage onTheWire = new NatsMessage("orders", NatsMessages.idReplySubject(bare), null, bare.payload());
        assertThat(NatsMessages.fromNats(onTheWire)).isEqualTo(bare);
        // received (its time kept as milliseconds until read) and sent on again, as a bridge does: the same wire
        assertThat(NatsMessages.idReplySubject(NatsMessages.fromNats(onTheWire))).isEqualTo("_mq.01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(NatsMessages.fromNats(onTheWire).timestamp()).isEqualTo(at);

        // anything else to carry: the id goes in the Nats-Msg-Id header as before
        assertThat(NatsMessages.idReplySubject(bare.toBuilder().key("k").build())).isNull();
        assertThat(NatsMessages.idReplySubject(bare.toBuilder().header("h", "v").build())).isNull();
        assertThat(NatsMessages.idReplySubject(bare.toBuilder().timestamp(at.plusMillis(1)).build())).isNull();
        assertThat(NatsMessages.idReplySubject(Message.builder().payload("p").id("order-7").timestamp(at).build())).isNull();
        assertThat(NatsMessages.idReplySubject(Message.builder().payload("p").id("order-7").build())).isNull();

        // a reply subject that is not ours names no message: a native request, or our prefix without a ULID; the
        // message is named and timed on arrival as any message that came without an id
        for (String reply : new String[]{"_INBOX.abc", "_mq.order-7", "_anymq.id.01ARZ3NDEKTSV4RRFFQ69G5FAV",
                "_mq.01ARZ3NDEKTSV4RRFFQ69G5FAU", "_mq.01ARZ3NDEKTSV4RRFFQ69G5FAV0"}) {
            assertNamedOnArrival(NatsMessages.fromNats(new NatsMessage("orders", reply, null, new byte[0])));
        }
        // headers win: a message with a Nats-Msg-Id header is named by it, whatever its reply subject
        NatsMessage both = new NatsMessage("orders", "_mq.01ARZ3NDEKTSV4RRFFQ69G5FAV",
                new io.nats.client.impl.Headers().add("Nats-Msg-Id", "order-7"), new byte[0]);
        assertThat(NatsMessages.fromNats(both).id()).isEqualTo("order-7");
    }

    @Test
    void withSendGeneratedIdsOffOnlyWhatTheSenderGaveTravels() {
        Message generated = io.anymq.spi.IdTimes.namedAtReceipt(Message.builder().payload("p"), 1469922850259L).build();
        assertThat(NatsMessages.carriesOnlyGeneratedStamp(generated)).isTrue();
        assertThat(NatsMessages.headers(generated, false).isEmpty()).isTrue();
        assertThat(NatsMessages.headers(generated, true).keySet()).containsExactly("Nats-Msg-Id");
        // with a header or a key: they travel, the generated id and time do not
        Message withHeader = io.anymq.spi.IdTimes.namedAtReceipt(Message.builder().payload("p").header("h", "v").key("k"), 1469922850259L).build();
        assertThat(NatsMessages.carriesOnlyGeneratedStamp(withHeader)).isFalse();
        assertThat(NatsMessages.headers(withHeader, false).keySet()).containsExactlyInAnyOrder("h", "anymq-key");
        // an id or a time the sender gave always travels
        Message given = Message.builder().payload("p").id("order-7").timestamp(Instant.ofEpochMilli(5)).build();
        assertThat(NatsMessages.carriesOnlyGeneratedStamp(given)).isFalse();
        assertThat(NatsMessages.headers(given, false).keySet()).containsExactlyInAnyOrder("Nats-Msg-Id", "anymq-timestamp");
    }

    @Test
    void aMessageThatCameWithoutAnIdIsNamedAndTimedOnArrival() {
        assertNamedOnArrival(NatsMessages.fromNats(new NatsMessage("orders", null, null, "p".getBytes())));
        Message withHeaders = NatsMessages.fromNats(new NatsMessage("orders", null, new io.nats.client.impl.Headers().add("h", "v"), new byte[0]));
        assertNamedOnArrival(withHeaders);
        assertThat(withHeaders.header("h")).isEqualTo("v");
        // a time came but no id: the time is kept, the id is made
        Message timed = NatsMessages.fromNats(new NatsMessage("orders", null, new io.nats.client.impl.Headers().add("anymq-timestamp", "1234"), new byte[0]));
        assertThat(timed.timestamp()).isEqualTo(Instant.ofEpochMilli(1234));
        assertThat(timed.id()).hasSize(26);
        // two arrivals, two names
        assertThat(NatsMessages.fromNats(new NatsMessage("orders", null, null, new byte[0])).id())
                .isNotEqualTo(NatsMessages.fromNats(new NatsMessage("orders", null, null, new byte[0])).id());
    }

    private static void assertNamedOnArrival(Message m) {
        assertThat(m.id()).hasSize(26);
        assertThat(m.timestamp()).isBetween(Instant.now().minusSeconds(5), Instant.now());
        assertThat(io.anymq.spi.IdTimes.timeOf(m.id())).isEqualTo(m.timestamp());
    }

    @Test
    void namesBecomeLegalStreamAndConsumerNamesWithoutCollisions() {
        assertThat(NatsNames.stream("orders.eu_west")).isEqualTo("orders_deu__west");
        assertThat(NatsNames.stream("a_d")).isNotEqualTo(NatsNames.stream("a.")).isEqualTo("a__d");
        assertThat(NatsNames.subject("orders.eu")).isEqualTo("orders.eu");
    }
}
