package io.anymq.harness;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {

    @Test
    void aClusterIdNeverStartsWithADashThatTheStorageToolWouldTakeForAnOption() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2_000; i++) { // about 31 of 2,000 plain draws start with '-'
            String id = KafkaBroker.clusterId(random);
            assertThat(id).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
        }
    }
}
