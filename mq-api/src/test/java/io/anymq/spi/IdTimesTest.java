package io.anymq.spi;

import io.anymq.Message;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IdTimesTest {

    @Test
    void readsTheTimeOfAUlidFromAnotherLibrary() {
        // the example of the ULID specification: 01ARZ3NDEKTSV4RRFFQ69G5FAV was made at 1469922850259 ms
        assertThat(IdTimes.timeOf("01ARZ3NDEKTSV4RRFFQ69G5FAV")).isEqualTo(Instant.ofEpochMilli(1469922850259L));
    }

    @Test
    void anythingElseCarriesNoTime() {
        assertThat(IdTimes.timeOf(null)).isNull();
        assertThat(IdTimes.timeOf("id-1")).isNull();
        assertThat(IdTimes.timeOf("81ARZ3NDEKTSV4RRFFQ69G5FAV")).isNull(); // beyond 48 bits
        assertThat(IdTimes.timeOf("01ARZ3NDEKTSV4RRFFQ69G5FAU")).isNull(); // U is not a digit
        assertThat(IdTimes.timeOf("01arz3ndektsv4rrffq69g5fav")).isNull(); // the SDK writes upper case
        assertThat(IdTimes.timestampInId(Message.builder().payload("x").id("01ARZ3NDEKTSV4RRFFQ69G5FAV")
                .timestamp(Instant.ofEpochMilli(1469922850260L)).build())).isFalse();
        assertThat(IdTimes.timestampInId(Message.builder().payload("x").id("01ARZ3NDEKTSV4RRFFQ69G5FAV")
                .timestamp(Instant.ofEpochMilli(1469922850259L)).build())).isTrue();
        assertThat(IdTimes.timestampInId(Message.builder().payload("x").id("01ARZ3NDEKTSV4RRFFQ69G5FAV")
                .timestamp(Instant.ofEpochMilli(1469922850259L).plusNanos(1)).build())).isFalse();
    }
}
