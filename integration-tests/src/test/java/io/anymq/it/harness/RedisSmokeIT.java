package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;

import java.util.Optional;

class RedisSmokeIT extends BrokerSmokeTest {
    @Override
    BrokerKind kind() {
        return BrokerKind.REDIS;
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        assertOk(Resp.call(broker, "SET", key, value));
    }

    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        return Optional.ofNullable(Resp.call(broker, "GET", key));
    }

    private static void assertOk(String reply) {
        if (!"OK".equals(reply)) {
            throw new AssertionError("redis answered " + reply);
        }
    }
}
