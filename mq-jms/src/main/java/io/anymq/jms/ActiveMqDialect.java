package io.anymq.jms;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQMessageProducer;
import org.apache.activemq.ActiveMQSession;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import org.apache.activemq.AsyncCallback;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.ScheduledMessage;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * ActiveMQ Classic over OpenWire (activemq-client 6, Jakarta JMS). A topic is the virtual topic
 * {@code VirtualTopic.<topic>}; a group is its consumer queue {@code Consumer.<group>.VirtualTopic.<topic>}
 * (a {@code .} in the group name is written {@code ~}, as the broker's default selector
 * {@code Consumer.*.} takes one path element). The connection goes through the failover transport,
 * so that it comes back by itself after a broker restart; the first connect is tried once.
 *
 * <p>Sends are asynchronous requests ({@link AsyncCallback}, activemq-client's own form: its JMS 2.0
 * {@code CompletionListener} sends are not implemented): the broker answers a persistent send once
 * KahaDB holds the message, as it answers a synchronous one, so sends pipeline while a completed
 * future still means stored. The client calls back on its transport thread, which must never block
 * (a synchronous ack or send there would wait for an answer only that thread can read): the future
 * is completed on the driver's callback thread instead.
 */
final class ActiveMqDialect implements Dialect {

    @Override
    public String scheme() {
        return "activemq";
    }

    @Override
    public String brokerName() {
        return "ActiveMQ Classic";
    }

    @Override
    public String nativePrefix() {
        return "activemq.";
    }

    @Override
    public int defaultPort() {
        return 61616;
    }

    @Override
    public ConnectionFactory factory(JmsSettings s, Map<String, String> nativeOptions) {
        Map<String, String> beanOptions = new java.util.LinkedHashMap<>(nativeOptions);
        String tcp = (s.tls() ? "ssl://" : "tcp://") + hostForUri(s.host()) + ":" + s.port() + "?connectionTimeout=" + s.connectTimeout().toMillis()
                + "&soTimeout=0" + wireFormatOptions(beanOptions);
        String url = "failover:(" + tcp + ")?startupMaxReconnectAttempts=0&initialReconnectDelay=100&maxReconnectDelay=1000"
                + "&timeout=" + s.sendTimeout().toMillis();
        ActiveMQConnectionFactory f;
        if (s.tls()) {
            // the broker's certificate is checked against the trust store (or the JVM's default), and its name against the host
            ActiveMQSslConnectionFactory ssl = new OpenWireConnection.SslFactory(url);
            if (s.trustStore() != null) {
                try {
                    ssl.setTrustStore(s.trustStore());
                } catch (Exception e) {
                    throw new io.anymq.ConfigurationException("option 'tls.truststore': cannot use " + s.trustStore() + ": " + e.getMessage());
                }
                ssl.setTrustStoreType(s.trustStoreType());
                if (s.trustStorePassword() != null) {
                    ssl.setTrustStorePassword(s.trustStorePassword());
                }
            }
            f = ssl;
        } else {
            f = new OpenWireConnection.Factory(url);
        }
        if (s.user() != null) {
            f.setUserName(s.user());
            f.setPassword(s.password());
        }
        f.setSendAcksAsync(false);      // an ack waits for the broker's answer, except the oneway ones of a batch (acknowledgeUncommitted)
        f.setAlwaysSyncSend(true);      // a send completes when the broker holds the message
        f.setWatchTopicAdvisories(false);
        // after a failover the broker redelivers what was dispatched but not acked; the client's duplicate check would
        // poison-ack those to ActiveMQ.DLQ (out of the group) instead of handing them out again: at-least-once wants them
        f.setCheckForDuplicates(false);
        f.setConnectResponseTimeout((int) s.connectTimeout().toMillis());
        RedeliveryPolicy never = new RedeliveryPolicy();
        never.setMaximumRedeliveries(RedeliveryPolicy.NO_MAXIMUM_REDELIVERIES); // the core decides when to dead-letter
        f.setRedeliveryPolicy(never);
        NativeOptions.apply(f, nativePrefix(), beanOptions);
        return f;
    }

    /** The prefix of the OpenWire format's settings among the native options ({@code activemq.wireFormat.maxInactivityDuration=2000}). */
    static final String WIRE_FORMAT = "wireFormat.";

    /**
     * Takes the {@code wireFormat.*} options out of {@code options} and returns them as query parameters of the TCP
     * transport inside the failover URL ({@code &wireFormat.maxInactivityDuration=2000}), where activemq-client reads
     * them: the inactivity monitor's read check ({@code maxInactivityDuration}, both sides use the smaller of their two
     * values) is not a setting of the connection factory. Names and values are checked on a throwaway
     * {@link org.apache.activemq.openwire.OpenWireFormatFactory} (the bean the transport sets them on), so a misspelling
     * is a {@link io.anymq.ConfigurationException} before any connection; each is written with its setter's spelling.
     */
    static String wireFormatOptions(Map<String, String> options) {
        Map<String, String> wire = new java.util.LinkedHashMap<>();
        options.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(WIRE_FORMAT)) {
                wire.put(e.getKey().substring(WIRE_FORMAT.length()), e.getValue());
                return true;
            }
            return false;
        });
        NativeOptions.apply(new org.apache.activemq.openwire.OpenWireFormatFactory(), "activemq." + WIRE_FORMAT, wire);
        Map<String, String> spelled = new java.util.HashMap<>();
        NativeOptions.known(org.apache.activemq.openwire.OpenWireFormatFactory.class)
                .forEach(n -> spelled.put(n.toLowerCase(java.util.Locale.ROOT), n));
        StringBuilder query = new StringBuilder();
        wire.forEach((name, value) -> query.append('&').append(WIRE_FORMAT).append(spelled.get(name.toLowerCase(java.util.Locale.ROOT)))
                .append('=').append(java.net.URLEncoder.encode(value.trim(), java.nio.charset.StandardCharsets.UTF_8)));
        return query.toString();
    }

    @Override
    public boolean sendsBlock() {
        return false;
    }

    @Override
    public CompletableFuture<Void> send(MessageProducer producer, Destination to, Message message, Executor callbacks) throws JMSException {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        ((ActiveMQMessageProducer) producer).send(to, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE,
                new AsyncCallback() {
                    @Override
                    public void onSuccess() {
                        handOff(callbacks, () -> stored.complete(null));
                    }

                    @Override
                    public void onException(JMSException e) {
                        handOff(callbacks, () -> stored.completeExceptionally(e));
                    }
                });
        return stored;
    }

    private static void handOff(Executor callbacks, Runnable r) {
        try {
            callbacks.execute(r);
        } catch (RejectedExecutionException closing) {
            r.run(); // the client is closing: nobody can block on its connection any more
        }
    }

    @Override
    public boolean callsBackOnIoThread() {
        return true;
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public int individualAcknowledgeMode() {
        return ActiveMQSession.INDIVIDUAL_ACKNOWLEDGE;
    }

    /**
     * Acks are gathered: each but the last of a batch goes oneway, and the last is a request that the driver waits for
     * ({@link #acknowledgeAndCommit}). The broker serves one connection's commands in the order they came, on one thread
     * (activemq-broker's {@code TransportConnection.service}, called by the transport's reader for each command), so
     * when the answer to the last ack comes, the oneway acks before it have been applied; KahaDB writes an ack to its
     * journal with a disk sync only when the ack asks for an answer ({@code KahaDBStore.removeMessage}: {@code
     * isEnableJournalDiskSyncs() && ack.isResponseRequired()}), and the journal is written in order, so the last ack's
     * sync covers the oneway ones before it: one round trip and one journal sync per batch.
     */
    @Override
    public void acknowledgeUncommitted(Session session, Message message) throws JMSException {
        OpenWireConnection.acknowledgeOneway(message);
    }

    /** The batch's last ack, a request: returns once the broker has applied it and, before it, every oneway ack. */
    @Override
    public void acknowledgeAndCommit(Session session, Message message) throws JMSException {
        message.acknowledge();
    }

    /**
     * The interruptions of the session's connection: a oneway ack the broker refuses (after a reconnect it no longer
     * knows deliveries from before it: "Could not correlate acknowledgment") is not answered to the sender, so the
     * driver fails as in doubt every settlement of a batch whose messages were received before an interruption that
     * came before the batch's answer.
     */
    @Override
    public long reconnects(Session session) throws JMSException {
        return session instanceof ActiveMQSession s && s.getConnection() instanceof OpenWireConnection c ? c.interruptions() : 0;
    }

    /**
     * After a failover reconnect the client's consumer may acknowledge messages dispatched before it (the
     * "delivered" ack that opens its prefetch window, synchronous since acks are); the broker refuses them
     * ("Could not correlate acknowledgment with dispatched message"), the receive that sent it throws and the
     * message it had taken is gone from this session, and so does every receive after it (seen in the wire drill).
     */
    @Override
    public boolean sessionWentStale(Exception receiveFailure) {
        for (Throwable t = receiveFailure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Could not correlate acknowledgment with dispatched message")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Destination topic(Session session, String topic) throws JMSException {
        return session.createTopic("VirtualTopic." + topic);
    }

    @Override
    public MessageConsumer join(Session session, String topic, String group, int prefetch) throws JMSException {
        return session.createConsumer(session.createQueue(queueName(topic, group) + "?consumer.prefetchSize=" + prefetch));
    }

    @Override
    public Destination groupOnly(Session session, String topic, String group) throws JMSException {
        return session.createQueue(queueName(topic, group));
    }

    @Override
    public void holdUntil(Message message, long epochMillis) throws JMSException {
        long delay = epochMillis - System.currentTimeMillis();
        if (delay > 0) {
            message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, delay);
        }
    }

    @Override
    public boolean propertiesKeepSupplementaryCharacters() {
        return false; // OpenWire: DataOutputStream.writeUTF on the way out, UTF8Buffer on the way in
    }

    @Override
    public boolean mayLackScheduler() {
        return true; // schedulerSupport is off by default in ActiveMQ Classic
    }

    /**
     * The failover transport's listener: interrupted is RECONNECTING (it reconnects for ever), resumed
     * CONNECTED, an exception (it gave up) DISCONNECTED; and the JMS exception listener.
     */
    @Override
    public void watch(jakarta.jms.Connection connection, io.anymq.spi.ConnectionState state) throws JMSException {
        Dialect.super.watch(connection, state);
        if (connection instanceof org.apache.activemq.ActiveMQConnection c) {
            c.addTransportListener(new org.apache.activemq.transport.TransportListener() {
                @Override
                public void onCommand(Object command) {
                    // every command: nothing to report
                }

                @Override
                public void onException(java.io.IOException error) {
                    state.disconnected(io.anymq.spi.Failures.describe(error));
                }

                @Override
                public void transportInterupted() {
                    state.reconnecting("the failover transport lost the connection and reconnects");
                }

                @Override
                public void transportResumed() {
                    state.connected();
                }
            });
        }
    }

    @Override
    public String queueName(String topic, String group) {
        return "Consumer." + group.replace('.', '~') + ".VirtualTopic." + topic;
    }
}
