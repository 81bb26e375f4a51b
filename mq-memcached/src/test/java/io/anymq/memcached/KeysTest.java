package io.anymq.memcached;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeysTest {
    private final Keys keys = new Keys("mq:");

    @Test
    void theLayoutIsTheReadmes() {
        assertThat(keys.tail("orders")).isEqualTo("mq:orders:tail");
        assertThat(keys.message("orders", 17)).isEqualTo("mq:orders:17");
        assertThat(keys.head("orders", "billing")).isEqualTo("mq:orders:billing:head");
        assertThat(keys.low("orders", "billing")).isEqualTo("mq:orders:billing:low");
        assertThat(keys.state("orders", "billing", 17)).isEqualTo("mq:orders:billing:17");
    }

    @Test
    void everyKeyOfATopicIsPlacedByTheTopicAlone() {
        assertThat(keys.placement(keys.tail("orders"))).isEqualTo("mq:orders");
        assertThat(keys.placement(keys.message("orders", 5))).isEqualTo("mq:orders");
        assertThat(keys.placement(keys.state("orders", "g", 5))).isEqualTo("mq:orders");
        assertThat(keys.placement(keys.head("orders-2", "g"))).isEqualTo("mq:orders-2");
        assertThat(keys.placement("someone-elses-key")).isEqualTo("someone-elses-key");
        assertThat(new Keys("").placement("t:g:head")).isEqualTo("t");
    }
}
