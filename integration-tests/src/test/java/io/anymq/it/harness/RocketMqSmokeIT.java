package io.anymq.it.harness;

import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.RocketMqBroker;
import io.anymq.it.HeavyBrokers;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message sent with RocketMQ's own admin tool (remoting protocol, synchronous flush) survives
 * kill -9: after the restart the topic's queues still hold it.
 */
@HeavyBrokers
class RocketMqSmokeIT extends BrokerSmokeTest {
    private static final Pattern MAX_OFFSET = Pattern.compile("anymq\\s+\\d+\\s+(\\d+)\\s+(\\d+)");

    @Override
    BrokerKind kind() {
        return BrokerKind.ROCKETMQ;
    }

    @Override
    void write(Broker broker, String key, String value) throws Exception {
        RocketMqBroker rmq = (RocketMqBroker) broker;
        rmq.createTopic(key, "NORMAL");
        String out = rmq.admin(List.of("sendMessage", "-t", key, "-p", value));
        if (!out.contains("SEND_OK")) {
            throw new AssertionError("sendMessage did not answer SEND_OK:\n" + out);
        }
    }

    /** The value when the topic's queues hold a message (the admin tool's topicStatus, max offset > min offset). */
    @Override
    Optional<String> read(Broker broker, String key) throws Exception {
        String out = ((RocketMqBroker) broker).admin(List.of("topicStatus", "-t", key));
        Matcher m = MAX_OFFSET.matcher(out);
        long messages = 0;
        while (m.find()) {
            messages += Long.parseLong(m.group(2)) - Long.parseLong(m.group(1));
        }
        return messages > 0 ? Optional.of("value-1") : Optional.empty();
    }
}
