package io.anymq.cli;

import io.anymq.Message;
import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Producer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mq receive --from TIME} on a named mem: broker. */
class ReceiveFromTest {

    @Test
    void aNewGroupFromATimeGetsWhatWasStoredAtOrAfterIt() {
        String url = "mem:cli-from-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        try (MessagingClient client = Messaging.connect(url); Producer p = client.producer("orders")) {
            p.send(Message.builder().payload("old").timestamp(at.minusMillis(1)).build()).join();
            p.send(Message.builder().payload("new1").timestamp(at).build()).join();
            p.send(Message.builder().payload("new2").timestamp(at.plusSeconds(1)).build()).join();
        }
        MainTest.Run got = MainTest.run("receive", url, "orders", "-g", "g", "--from", "2026-01-01T01:00:00+01:00", "--timeout", "300ms");
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out().strip().split("\n")).containsExactly("new1", "new2");
        MainTest.Run earliest = MainTest.run("receive", url, "orders", "-g", "h", "--from", "EARLIEST", "--timeout", "300ms");
        assertThat(earliest.out().strip().split("\n")).containsExactly("old", "new1", "new2");
    }

    @Test
    void aBadOrFutureTimeIsRefused() {
        String url = "mem:cli-from-" + UUID.randomUUID().toString().substring(0, 8);
        MainTest.Run bad = MainTest.run("receive", url, "orders", "-g", "g", "--from", "2026-01-01 00:00");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--from").contains("ISO-8601").contains("'2026-01-01 00:00'");
        MainTest.Run future = MainTest.run("receive", url, "orders", "-g", "g", "--from", Instant.now().plusSeconds(3600).toString());
        assertThat(future.exit()).isEqualTo(1);
        assertThat(future.err()).contains("in the future");
    }
}
