package io.anymq.cli;

import io.anymq.ConsumerOptions;
import io.anymq.Delivery;
import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.StartPosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** mq send keeps the bytes it is given: no line split on a lone \r, no U+FFFD, no header silently replaced. */
class SendBytesTest {

    private static MainTest.Run send(byte[] stdin, String... args) {
        return MainTest.send(stdin, args);
    }

    static List<Message> received(String url, String topic, int expected) {
        return received(url, topic, "g", expected);
    }

    /** What a group made now receives from the earliest message: up to {@code expected} + 1, waiting 500 ms for more. */
    static List<Message> received(String url, String topic, String group, int expected) {
        List<Message> got = new ArrayList<>();
        try (MessagingClient client = Messaging.connect(url);
             var consumer = client.consumer(ConsumerOptions.builder(topic, group).startPosition(StartPosition.EARLIEST).build())) {
            for (Delivery d : consumer.receive(expected + 1, Duration.ofMillis(500))) {
                got.add(d.message());
                d.ack();
            }
        }
        return got;
    }

    private static String broker() {
        return "mem:sendbytes-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void linesAreSplitOnNewlineOnlyAndTheirBytesAreKept() {
        String url = broker();
        byte[] in = {'a', '\r', 'b', '\n', (byte) 0xff, (byte) 0xfe, '\n', '\n', 'c', '\r', '\n', 'l', 'a', 's', 't'};
        MainTest.Run s = send(in, url, "lines");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).contains("sent 5 message(s)");
        List<Message> got = received(url, "lines", 5);
        assertThat(got).extracting(Message::payload).containsExactly(
                new byte[] {'a', '\r', 'b'}, new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[0], new byte[] {'c', '\r'},
                new byte[] {'l', 'a', 's', 't'});
    }

    @Test
    void rawSendsAllOfStdinAsOneMessage() {
        String url = broker();
        byte[] in = new byte[70_000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i * 7);
        }
        MainTest.Run s = send(in, url, "raw", "--raw", "-k", "k1", "-H", "a=1");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).contains("sent 1 message(s)");
        List<Message> got = received(url, "raw", 1);
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.payload()).isEqualTo(in);
            assertThat(m.key()).isEqualTo("k1");
            assertThat(m.header("a")).isEqualTo("1");
        });
        MainTest.Run empty = send(new byte[0], url, "raw-empty", "--raw");
        assertThat(empty.exit()).isZero();
        assertThat(received(url, "raw-empty", 1)).singleElement().satisfies(m -> assertThat(m.payloadSize()).isZero());
        MainTest.Run withArgs = send(new byte[0], url, "raw", "--raw", "x");
        assertThat(withArgs.exit()).isNotZero();
        assertThat(withArgs.err()).contains("--raw reads standard input");
    }

    @Test
    void aHeaderGivenTwiceIsRefused() {
        String url = broker();
        MainTest.Run r = MainTest.run("send", url, "t", "-H", "k=1", "-H", "k=2", "x");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("header 'k' is given twice");
        assertThat(received(url, "t", 1)).isEmpty();
    }

    @Test
    void anArgumentWithALoneSurrogateIsRefused() {
        String url = broker();
        MainTest.Run r = MainTest.run("send", url, "t", "a\uD800");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("lone surrogate");
    }

    @Test
    void receiveShowsKeysAndHeaderValuesThatAreNotTextAsBase64() {
        String url = broker();
        try (MessagingClient client = Messaging.connect(url); var p = client.producer("bin")) {
            p.send(Message.builder().payload("x").keyBytes(new byte[] {(byte) 0xff, 0, 1}).headerBytes("raw", new byte[] {(byte) 0xfe})
                    .headerBytes("none", (byte[]) null).header("t", "v").build()).join();
        }
        MainTest.Run got = MainTest.run("receive", url, "bin", "-g", "g", "--from", "earliest", "--format", "json", "--count", "1");
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out()).contains("\"key\":\"/wAB\",\"keyEncoding\":\"base64\"")
                .contains("\"headers\":{\"raw\":\"/g==\",\"none\":null,\"t\":\"v\"},\"headerEncodings\":{\"raw\":\"base64\"}");
    }

    @Test
    void receiveShowsARepeatedHeaderNameAsAnArrayOfItsValues() {
        String url = broker();
        try (MessagingClient client = Messaging.connect(url); var p = client.producer("rep")) {
            p.send(Message.builder().payload("x").addHeader("h", "1").header("t", "v").addHeaderBytes("h", null)
                    .addHeader("b", "x").addHeaderBytes("b", new byte[] {(byte) 0xfe}).build()).join();
        }
        MainTest.Run got = MainTest.run("receive", url, "rep", "-g", "g", "--from", "earliest", "--format", "json", "--count", "1");
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out()).contains("\"headers\":{\"h\":[\"1\",null],\"t\":\"v\",\"b\":[\"eA==\",\"/g==\"]},"
                + "\"headerEncodings\":{\"b\":\"base64\"}");
    }
}
