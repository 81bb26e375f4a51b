package io.anymq.bench;

import io.anymq.MqUrl;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plain rocketmq-client-java doing what mq-rocketmq does, as a good RocketMQ 5 user would with the same
 * promises: one producer ({@code sendAsync}, 3 attempts, confirmed when the proxy answered that the
 * broker stored the message) shared by the sending threads; a SimpleConsumer per member that receives
 * up to 32 messages per call with the SDK's invisible duration (30 s) and long-polling wait (5 s), and
 * acks each message ({@code ackAsync}). Topics are made as mq-rocketmq makes them (MIXED, 8 queues,
 * through the admin API of rocketmq-tools), and the group starts at each queue's first message (the
 * module sets a new group's offsets so too). With {@code metadata}, each message also carries what
 * mq-rocketmq writes for a message sent without id or timestamp: the {@code anymq-timestamp} property.
 */
final class RocketMqNativeTarget implements BenchTarget {
    /** What mq-rocketmq uses: its receive batch, the default ack timeout, the default long-polling wait. */
    static final int RECEIVE_BATCH = 32;
    static final Duration INVISIBLE = Duration.ofSeconds(30);
    static final Duration AWAIT = Duration.ofSeconds(5);
    private static final int QUEUES = 8;

    private final ClientServiceProvider provider = ClientServiceProvider.loadService();
    private final ClientConfiguration configuration;
    private final DefaultMQAdminExt admin;
    private final Producer producer;
    private final boolean metadata;

    RocketMqNativeTarget(String url, boolean metadata) throws Exception {
        this.metadata = metadata;
        MqUrl u = MqUrl.parse(url);
        MqUrl.HostPort hp = u.firstHost("127.0.0.1", 8081);
        this.configuration = ClientConfiguration.newBuilder().setEndpoints(hp.host() + ":" + hp.portOr(8081))
                .setRequestTimeout(Duration.ofSeconds(3)).build();
        this.admin = new DefaultMQAdminExt(10_000);
        admin.setNamesrvAddr(u.query().getOrDefault("namesrv", hp.host() + ":9876"));
        admin.setInstanceName("bench-admin-" + Long.toHexString(System.nanoTime()));
        admin.setVipChannelEnabled(false);
        admin.start();
        try {
            this.producer = provider.newProducerBuilder().setClientConfiguration(configuration).setMaxAttempts(3).build();
        } catch (Exception e) {
            admin.shutdown();
            throw e;
        }
    }

    @Override
    public String name() {
        return "rocketmq-client-java" + (metadata ? "+meta" : "");
    }

    @Override
    public void prepare(List<String> topics) throws Exception {
        ClusterInfo cluster = admin.examineBrokerClusterInfo();
        for (String topic : topics) {
            TopicConfig config = new TopicConfig(topic, QUEUES, QUEUES, 6);
            config.setAttributes(Map.of("+message.type", "MIXED"));
            for (BrokerData b : cluster.getBrokerAddrTable().values()) {
                admin.createAndUpdateTopicConfig(b.getBrokerAddrs().get(0L), config);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!routed(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the name server does not route topic " + topic);
                }
                Thread.sleep(100);
            }
        }
    }

    private boolean routed(String topic) {
        try {
            return !admin.examineTopicRouteInfo(topic).getQueueDatas().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** The group as mq-rocketmq makes it (the same retry limit), starting at each queue's first message. */
    private void prepareGroup(String topic, String group) throws Exception {
        ClusterInfo cluster = admin.examineBrokerClusterInfo();
        for (BrokerData b : cluster.getBrokerAddrTable().values()) {
            SubscriptionGroupConfig g = new SubscriptionGroupConfig();
            g.setGroupName(group);
            g.setRetryMaxTimes(10_000);
            admin.createAndUpdateSubscriptionGroupConfig(b.getBrokerAddrs().get(0L), g);
        }
        for (Map.Entry<MessageQueue, TopicOffset> e : admin.examineTopicStats(topic).getOffsetTable().entrySet()) {
            String addr = cluster.getBrokerAddrTable().get(e.getKey().getBrokerName()).getBrokerAddrs().get(0L);
            admin.updateConsumeOffset(addr, group, e.getKey(), e.getValue().getMinOffset());
        }
    }

    @Override
    public Sender sender(String topic) {
        return new Sender() {
            @Override
            public void send(byte[] payload, String key, Confirm confirm) {
                var b = provider.newMessageBuilder().setTopic(topic).setBody(payload);
                if (key != null) {
                    b.setKeys(key);
                }
                if (metadata) {
                    b.addProperty("anymq-timestamp", Long.toString(System.currentTimeMillis()));
                }
                producer.sendAsync(b.build()).whenComplete((r, e) -> confirm.done(e));
            }

            @Override
            public void close() {
                // the producer belongs to the target
            }
        };
    }

    @Override
    public AutoCloseable consume(String topic, String group, Sink sink) throws Exception {
        prepareGroup(topic, group);
        SimpleConsumer consumer = provider.newSimpleConsumerBuilder().setClientConfiguration(configuration).setConsumerGroup(group)
                .setAwaitDuration(AWAIT).setSubscriptionExpressions(Map.of(topic, FilterExpression.SUB_ALL)).build();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                List<MessageView> views;
                try {
                    views = consumer.receive(RECEIVE_BATCH, INVISIBLE);
                } catch (Exception e) {
                    continue; // a failed receive is tried again at once, as the SDK's core polls again
                }
                for (MessageView v : views) {
                    sink.received(v.getBody(), v.getDeliveryAttempt() > 1);
                    consumer.ackAsync(v);
                }
            }
        }, "rocketmq-client-java-consumer");
        t.setDaemon(true);
        t.start();
        return () -> {
            stop.set(true);
            t.join(10_000); // the last long poll ends within the await duration
            consumer.close();
        };
    }

    @Override
    public void close() throws Exception {
        try {
            producer.close();
        } finally {
            admin.shutdown();
        }
    }
}
