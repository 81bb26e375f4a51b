package io.anymq.memcached;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TailNumbersTest {
    @Test
    void numbersThatRiseAreNoRestart() {
        TailNumbers numbers = new TailNumbers();
        for (long n = 1; n <= 100; n++) {
            assertThat(numbers.startedAgain(numbers.floor(), n)).isFalse();
        }
    }

    /** Two threads ask at once; the later number is recorded first. Not a restart (it was, before: an ERROR per overtaken send). */
    @Test
    void answersOfConcurrentAsksThatComeBackOutOfOrderAreNoRestart() {
        TailNumbers numbers = new TailNumbers();
        numbers.startedAgain(numbers.floor(), 9990);
        long floorOfA = numbers.floor();
        long floorOfB = numbers.floor();
        assertThat(numbers.startedAgain(floorOfB, 9992)).isFalse();
        assertThat(numbers.startedAgain(floorOfA, 9991)).isFalse();
        assertThat(numbers.startedAgain(numbers.floor(), 9993)).isFalse();
    }

    @Test
    void aCounterThatStartsAgainIsARestartOnceAndThenCountsFromThere() {
        TailNumbers numbers = new TailNumbers();
        for (long n = 1; n <= 50; n++) {
            numbers.startedAgain(numbers.floor(), n);
        }
        assertThat(numbers.startedAgain(numbers.floor(), 1)).isTrue();
        assertThat(numbers.startedAgain(numbers.floor(), 2)).isFalse();
        assertThat(numbers.startedAgain(numbers.floor(), 3)).isFalse();
    }

    /** Another client's sends after the restart: this producer's first number after it is low but not 1. */
    @Test
    void aNumberBelowWhatWasRecordedBeforeTheAskIsARestartWhateverItIs() {
        TailNumbers numbers = new TailNumbers();
        numbers.startedAgain(numbers.floor(), 500);
        assertThat(numbers.startedAgain(numbers.floor(), 7)).isTrue();
        assertThat(numbers.startedAgain(numbers.floor(), 8)).isFalse();
    }
}
