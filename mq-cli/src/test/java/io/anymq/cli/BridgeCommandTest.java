package io.anymq.cli;

import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mq bridge} in-process on named mem: brokers: what it copies, what it prints, its exit codes. */
class BridgeCommandTest {

    private static String broker() {
        return "mem:bridge-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void send(String url, String topic, int small, int big) {
        try (MessagingClient c = Messaging.connect(url); Producer p = c.producer(topic)) {
            for (int i = 0; i < small; i++) {
                p.send(Message.builder().payload("m" + i).key("k" + (i % 7)).header("h", "v" + i).build());
            }
            for (int i = 0; i < big; i++) {
                p.send(Message.builder().payload(new byte[64]).id("big-" + i).build());
            }
            p.flush();
        }
    }

    @Test
    void copiesUntilTheSourceIsDrainedAndExitsZero() {
        String src = broker();
        String dst = broker();
        send(src, "orders", 100, 0);
        MainTest.Run r = MainTest.run("bridge", src, "orders", dst, "copy", "--group", "g", "--from", "earliest",
                "--until-empty", "--idle", "300ms", "--progress", "100ms");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("mq bridge: the destination (mem) does not de-duplicate by id")
                .contains("failures 0").contains("mq bridge: done: 100 copied, 0 dead-lettered");
        MainTest.Run got = MainTest.run("receive", dst, "copy", "--group", "check", "--from", "earliest", "--timeout", "300ms");
        assertThat(got.out().strip().split("\n")).hasSize(100).contains("m0", "m99");
    }

    @Test
    void refusedMessagesGoToTheDeadLetterTopicAndTheExitCodeSaysSo() {
        String src = broker();
        String dst = broker() + "?max-payload=16";
        String dlq = broker();
        send(src, "orders", 20, 2);
        MainTest.Run r = MainTest.run("bridge", src, "orders", dst, "copy", "--group", "g", "--from", "earliest",
                "--until-empty", "--idle", "300ms", "--dead-letter", dlq, "refused");
        assertThat(r.exit()).as(r.err()).isEqualTo(BridgeCommand.DEAD_LETTERED);
        assertThat(r.err()).contains("done: 20 copied, 2 dead-lettered");
        MainTest.Run dead = MainTest.run("receive", dlq, "refused", "--group", "check", "--from", "earliest", "--timeout", "300ms",
                "--format", "json");
        assertThat(dead.out()).contains("\"id\":\"big-0\"").contains("\"id\":\"big-1\"").contains("MessageTooLargeException");
    }

    @Test
    void aRefusalWithoutADeadLetterDestinationFailsWithExitOne() {
        String src = broker();
        String dst = broker() + "?max-payload=16";
        send(src, "orders", 3, 1);
        MainTest.Run r = MainTest.run("bridge", src, "orders", dst, "copy", "--group", "g", "--from", "earliest",
                "--until-empty", "--idle", "300ms");
        assertThat(r.exit()).isEqualTo(Main.FAILED);
        assertThat(r.err()).contains("mq: the destination refused message big-0 for good and no dead-letter destination is set");
    }

    @Test
    void aMissingGroupIsAUsageError() {
        MainTest.Run r = MainTest.run("bridge", "mem:", "a", "mem:", "b");
        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("--group");
    }
}
