package io.anymq.rocketmq;

import io.anymq.ConnectionException;
import io.anymq.MessagingException;
import io.anymq.MessagingInterruptedException;
import io.anymq.StartPosition;
import io.anymq.TopicNotFoundException;
import io.anymq.spi.Failures;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.admin.TopicOffset;
import org.apache.rocketmq.remoting.protocol.admin.TopicStatsTable;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.header.QueryConsumerOffsetRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin path (name server + broker remoting, {@code rocketmq-tools}' {@link DefaultMQAdminExt}):
 * the gRPC proxy creates neither topics nor groups, so this does. Every topic is created with the
 * message type MIXED (it takes normal, delayed and FIFO messages, so no send fails on a type
 * mismatch; the broker must allow it: {@code enableMixedMessageType=true}), or NORMAL with {@code topic-type=normal}. Every group is created with a retry limit so high that the broker never moves a message
 * to {@code %DLQ%<group>} on its own: the core decides every dead-letter. A group new on a topic gets
 * its start offsets set explicitly (the broker's own choice for a new pop group depends on whether the
 * queue's first message is still in memory, so it is neither reliably earliest nor latest).
 */
final class RocketMqAdmin implements AutoCloseable {
    /** The broker's retry limit for groups this module creates: the core, not the broker, dead-letters. */
    static final int GROUP_RETRY_MAX = 10_000;

    private final DefaultMQAdminExt admin;
    private final RocketMqSettings settings;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();

    private RocketMqAdmin(DefaultMQAdminExt admin, RocketMqSettings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    static RocketMqAdmin start(RocketMqSettings settings) {
        // with ACL, the broker authenticates the admin path's remoting calls too (the name server does not)
        DefaultMQAdminExt a = settings.accessKey() == null ? new DefaultMQAdminExt(settings.connectTimeout().toMillis())
                : new DefaultMQAdminExt(new org.apache.rocketmq.acl.common.AclClientRPCHook(
                        new org.apache.rocketmq.acl.common.SessionCredentials(settings.accessKey(), settings.secretKey())),
                        settings.connectTimeout().toMillis());
        a.setNamesrvAddr(settings.namesrv());
        a.setInstanceName("anymq-admin-" + Long.toHexString(System.nanoTime()));
        a.setVipChannelEnabled(false);
        try {
            a.start();
            a.examineBrokerClusterInfo();
            return new RocketMqAdmin(a, settings);
        } catch (InterruptedException e) {
            a.shutdown();
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while reaching the RocketMQ name server", e);
        } catch (Exception e) {
            a.shutdown();
            throw new ConnectionException("cannot reach the RocketMQ name server at " + settings.namesrv()
                    + " (option namesrv; the admin path creates topics and groups; auto-create=false turns it off): "
                    + Failures.describe(e), e);
        }
    }

    DefaultMQAdminExt nativeAdmin() {
        return admin;
    }

    /** Creates the topic (type MIXED) where it does not exist yet, and waits until its route is known. */
    void ensureTopic(String topic) {
        String name = settings.brokerName(topic);
        if (knownTopics.contains(name)) {
            return;
        }
        if (!routeKnown(name)) {
            TopicConfig config = new TopicConfig(name, settings.queues(), settings.queues(), 6);
            config.setAttributes(Map.of("+message.type", settings.mixedTopics() ? "MIXED" : "NORMAL"));
            for (String broker : masters()) {
                try {
                    admin.createAndUpdateTopicConfig(broker, config);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MessagingInterruptedException("interrupted while creating topic '" + name + "'", e);
                } catch (Exception e) {
                    String why = why(e);
                    if (why.contains("MIXED message type is not supported")) {
                        throw new io.anymq.ConfigurationException("RocketMQ broker " + broker + " refuses MIXED topics: run it with "
                                + "enableMixedMessageType=true, or use topic-type=normal (then delayed delivery is not offered)", e);
                    }
                    throw new ConnectionException("RocketMQ admin could not create topic '" + name + "' on " + broker + ": " + why, e);
                }
            }
            long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
            while (!routeKnown(name)) {
                if (System.nanoTime() > deadline) {
                    throw new ConnectionException("RocketMQ created topic '" + name + "' but the name server does not route it after "
                            + settings.connectTimeout().toMillis() + " ms", null);
                }
                pause();
            }
        }
        knownTopics.add(name);
    }

    /** Fails with a typed error when the topic does not exist (auto-create off). */
    void requireTopic(String topic) {
        String name = settings.brokerName(topic);
        if (!knownTopics.contains(name) && !routeKnown(name)) {
            throw new TopicNotFoundException("RocketMQ topic '" + name + "' does not exist, and auto-create is off");
        }
        knownTopics.add(name);
    }

    /**
     * Creates the group where it does not exist (retry limit {@link #GROUP_RETRY_MAX}), and makes it a
     * FIFO group ({@code consumeMessageOrderly}) when {@code orderly}: the broker then hands out a
     * queue's next messages only after the ones it handed out before were settled. A group that is
     * FIFO already stays so. Where the group has no offset on this topic yet, sets its start on every
     * queue: the first message (EARLIEST), the end (LATEST), or the first message the broker stored at or
     * after the time ({@code StartPosition.at}: {@code searchLowerBoundaryOffset}, the end where none is).
     *
     * @return whether the group is a FIFO group now
     */
    boolean ensureGroup(String topic, String group, StartPosition start, boolean orderly) {
        String t = settings.brokerName(topic);
        String g = settings.brokerName(group);
        boolean fifo = orderly;
        for (String broker : masters()) {
            SubscriptionGroupConfig existing = call(() -> {
                try {
                    return admin.examineSubscriptionGroupConfig(broker, g);
                } catch (Exception missing) {
                    return null;
                }
            }, "look up group '" + g + "'");
            fifo |= existing != null && existing.isConsumeMessageOrderly();
            if (existing == null || existing.getRetryMaxTimes() < GROUP_RETRY_MAX || (orderly && !existing.isConsumeMessageOrderly())) {
                SubscriptionGroupConfig config = existing != null ? existing : new SubscriptionGroupConfig();
                config.setGroupName(g);
                config.setRetryMaxTimes(GROUP_RETRY_MAX);
                if (orderly) {
                    config.setConsumeMessageOrderly(true);
                }
                call(() -> {
                    admin.createAndUpdateSubscriptionGroupConfig(broker, config);
                    return null;
                }, "create group '" + g + "' on " + broker);
            }
        }
        TopicStatsTable stats = call(() -> admin.examineTopicStats(t), "read the offsets of topic '" + t + "'");
        ClusterInfo cluster = call(admin::examineBrokerClusterInfo, "read the RocketMQ cluster");
        for (Map.Entry<MessageQueue, TopicOffset> e : stats.getOffsetTable().entrySet()) {
            MessageQueue mq = e.getKey();
            String addr = brokerAddress(cluster, mq.getBrokerName());
            if (hasOffset(addr, g, mq)) {
                continue;
            }
            long offset = start == StartPosition.EARLIEST ? e.getValue().getMinOffset()
                    : start.isTime() ? call(() -> admin.searchLowerBoundaryOffset(mq, start.time().toEpochMilli()),
                            "find the first message of " + mq + " stored at or after " + start.time())
                    : e.getValue().getMaxOffset();
            call(() -> {
                admin.updateConsumeOffset(addr, g, mq, offset);
                return null;
            }, "set the start offset of group '" + g + "' on " + mq);
        }
        return fifo;
    }

    private boolean hasOffset(String addr, String group, MessageQueue mq) {
        QueryConsumerOffsetRequestHeader h = new QueryConsumerOffsetRequestHeader();
        h.setConsumerGroup(group);
        h.setTopic(mq.getTopic());
        h.setQueueId(mq.getQueueId());
        h.setSetZeroIfNotFound(false);
        try {
            return admin.getDefaultMQAdminExtImpl().getMqClientInstance().getMQClientAPIImpl()
                    .queryConsumerOffset(addr, h, settings.connectTimeout().toMillis()) >= 0;
        } catch (org.apache.rocketmq.client.exception.MQBrokerException notFound) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while reading a RocketMQ group offset", e);
        } catch (Exception e) {
            throw new ConnectionException("cannot read the offset of group '" + group + "' on " + mq + ": " + why(e), e);
        }
    }

    private boolean routeKnown(String topic) {
        try {
            return !admin.examineTopicRouteInfo(topic).getQueueDatas().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private List<String> masters() {
        ClusterInfo info = call(admin::examineBrokerClusterInfo, "read the RocketMQ cluster");
        List<String> out = new ArrayList<>();
        for (BrokerData b : info.getBrokerAddrTable().values()) {
            String addr = b.getBrokerAddrs().get(0L);
            if (addr != null) {
                out.add(addr);
            }
        }
        if (out.isEmpty()) {
            throw new ConnectionException("the RocketMQ name server at " + settings.namesrv() + " knows no master broker", null);
        }
        return out;
    }

    private static String brokerAddress(ClusterInfo info, String brokerName) {
        BrokerData b = info.getBrokerAddrTable().get(brokerName);
        if (b == null || b.getBrokerAddrs().get(0L) == null) {
            throw new ConnectionException("RocketMQ broker '" + brokerName + "' has no master", null);
        }
        return b.getBrokerAddrs().get(0L);
    }

    interface AdminCall<T> {
        T run() throws Exception;
    }

    private <T> T call(AdminCall<T> c, String what) {
        try {
            return c.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while trying to " + what, e);
        } catch (MessagingException e) {
            throw e;
        } catch (Exception e) {
            throw new ConnectionException("RocketMQ admin could not " + what + ": " + why(e), e);
        }
    }

    /**
     * What went wrong, in words. When none of its name servers answers, the admin client asks for a connection to a
     * name server address it does not have and says "connect to null failed": that names the name servers instead.
     */
    private String why(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RemotingConnectException && String.valueOf(t.getMessage()).contains("connect to null")) {
                return "cannot reach the name server at " + settings.namesrv() + " (option namesrv)";
            }
        }
        return Failures.describe(e);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while waiting for a RocketMQ topic", e);
        }
    }

    @Override
    public void close() {
        admin.shutdown();
    }
}
