package io.anymq.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSConstants;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * ActiveMQ Artemis over its Core protocol (artemis-jakarta-client). A topic is the multicast address
 * {@code <topic>}; a group is a JMS 2.0 shared durable subscription on it named
 * {@code <topic>:<group>}, which Artemis keeps as the durable multicast queue of that name on the
 * address. A copy for one group goes to the fully qualified queue name {@code <topic>::<queue>}.
 * Delays are Artemis scheduled delivery ({@code _AMQ_SCHED_DELIVERY}).
 *
 * <p>Sends are JMS 2.0 asynchronous sends: with a confirmation window the server answers each
 * durable send once its journal holds the message (the answer comes through the session's response
 * cache and the client calls the {@code CompletionListener} on its own executor, not on a Netty
 * thread), so sends pipeline while a completed future still means stored. Without a confirmation
 * window (a native setting of {@code -1}) the client would call the listener as soon as the bytes are
 * written: then the dialect sends synchronously instead. One instance per client.
 */
final class ArtemisDialect implements Dialect {
    private static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    /** The confirmation window the driver sets (bytes of commands between two confirmations of the resend cache). */
    static final int CONFIRMATION_WINDOW = 1024 * 1024;

    private volatile boolean asyncSends;
    /** How long an asynchronous send waits for its confirmation ({@code send-timeout}). */
    private volatile long sendTimeoutMillis;

    @Override
    public String scheme() {
        return "artemis";
    }

    @Override
    public String brokerName() {
        return "ActiveMQ Artemis";
    }

    @Override
    public String nativePrefix() {
        return "artemis.";
    }

    @Override
    public int defaultPort() {
        return 61616;
    }

    @Override
    public ConnectionFactory factory(JmsSettings s, Map<String, String> nativeOptions) {
        ActiveMQConnectionFactory f = newFactory(s);
        configure(f, s);
        f.setConfirmationWindowSize(CONFIRMATION_WINDOW); // the server answers each async send once it is stored
        NativeOptions.apply(f, nativePrefix(), nativeOptions);
        asyncSends = f.getConfirmationWindowSize() >= 0;
        sendTimeoutMillis = s.sendTimeout().toMillis();
        return f;
    }

    @Override
    public boolean sendsBlock() {
        return !asyncSends;
    }

    @Override
    public CompletableFuture<Void> send(MessageProducer producer, Destination to, Message message, Executor callbacks) throws JMSException {
        if (!asyncSends) {
            return Dialect.super.send(producer, to, message, callbacks);
        }
        CompletableFuture<Void> stored = new CompletableFuture<>();
        producer.send(to, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE, new CompletionListener() {
            @Override
            public void onCompletion(Message m) {
                stored.complete(null);
            }

            @Override
            public void onException(Message m, Exception e) {
                stored.completeExceptionally(e);
            }
        });
        return withinSendTimeout(stored);
    }

    /**
     * The confirmation, failed when it did not come within the send timeout. The client keeps an unconfirmed
     * send in its resend cache while it reconnects, for as long as the broker stays away (a broker restarted
     * within it confirms it then): without the bound the future stayed pending for the whole outage.
     */
    private CompletableFuture<Void> withinSendTimeout(CompletableFuture<Void> stored) {
        long timeout = sendTimeoutMillis;
        return stored.orTimeout(timeout, java.util.concurrent.TimeUnit.MILLISECONDS).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                e instanceof java.util.concurrent.TimeoutException
                        ? new java.util.concurrent.TimeoutException("no confirmation within the send timeout of " + timeout
                                + " ms (the connection lost?): the message may or may not have been stored")
                        : e));
    }

    @Override
    public void acknowledgeUncommitted(Session session, Message message) throws JMSException {
        ArtemisConsumers.acknowledgeUncommitted(session, message);
    }

    @Override
    public void commitAcknowledgements(Session session) throws JMSException {
        ArtemisConsumers.commit(session);
    }

    @Override
    public java.util.function.BooleanSupplier holdsMore(MessageConsumer consumer) {
        return ArtemisConsumers.holdsMore(consumer);
    }

    @Override
    public TimedReceive receiver(MessageConsumer consumer) {
        return ArtemisConsumers.receiver(consumer);
    }

    /**
     * A factory for the one broker of the settings (shared with the HornetQ dialect): a Netty connector
     * with the connect timeout and, for TLS, {@code sslEnabled}, the trust store and {@code verifyHost}
     * (the broker's certificate must name the host). Transport parameters, not a URL, so that no
     * password needs URL escaping; Artemis masks passwords when it prints a connector.
     */
    static ActiveMQConnectionFactory newFactory(JmsSettings s) {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, s.host());
        params.put(TransportConstants.PORT_PROP_NAME, s.port());
        params.put(TransportConstants.NETTY_CONNECT_TIMEOUT, (int) s.connectTimeout().toMillis());
        if (s.tls()) {
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(TransportConstants.VERIFY_HOST_PROP_NAME, true);
            if (s.trustStore() != null) {
                params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, s.trustStore());
                params.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, s.trustStoreType());
                if (s.trustStorePassword() != null) {
                    params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, s.trustStorePassword());
                }
            }
        }
        return new ActiveMQConnectionFactory(false, new TransportConfiguration(NettyConnectorFactory.class.getName(), params));
    }

    /** The settings an Artemis client factory gets from the driver (shared with the HornetQ dialect). */
    static void configure(ActiveMQConnectionFactory f, JmsSettings s) {
        if (s.user() != null) {
            f.setUser(s.user());
            f.setPassword(s.password());
        }
        f.setBlockOnDurableSend(true);        // a send completes when the broker holds the message
        f.setBlockOnNonDurableSend(true);
        f.setBlockOnAcknowledge(false);       // acks wait for the commit that follows them instead (ArtemisConsumers.acknowledge)
        f.setInitialConnectAttempts(1);       // the first connect fails fast
        f.setReconnectAttempts(-1);           // later, the connection comes back by itself
        f.setRetryInterval(200);
        f.setRetryIntervalMultiplier(1.5);
        f.setMaxRetryInterval(1000);
        f.setCallTimeout(s.sendTimeout().toMillis());
        f.setCallFailoverTimeout(s.sendTimeout().toMillis());
    }

    @Override
    public int individualAcknowledgeMode() {
        return ActiveMQJMSConstants.INDIVIDUAL_ACKNOWLEDGE;
    }

    @Override
    public Destination topic(Session session, String topic) throws JMSException {
        return session.createTopic(topic);
    }

    @Override
    public MessageConsumer join(Session session, String topic, String group, int prefetch) throws JMSException {
        Topic t = session.createTopic(topic);
        return session.createSharedDurableConsumer(t, subscription(topic, group));
    }

    @Override
    public Destination groupOnly(Session session, String topic, String group) throws JMSException {
        return session.createTopic(topic + "::" + queueName(topic, group));
    }

    @Override
    public void holdUntil(Message message, long epochMillis) throws JMSException {
        message.setLongProperty(SCHEDULED_DELIVERY, epochMillis);
    }

    @Override
    public void abandon(Session session) {
        abandonArtemis(session);
    }

    @Override
    public void abandon(jakarta.jms.Connection connection) {
        abandonArtemis(connection);
    }

    /**
     * Cleans the core session up on the client only ({@code cleanUp}: its consumers and producers closed, its
     * channel released), so that its JMS close returns at once. Shared with the HornetQ dialect. The channel is
     * released first: {@code cleanUp} closes the session's producers before its channel, and a producer's cleanup
     * tells the server (a packet that waits for the failover, up to the send timeout, while the connection is lost:
     * a sending session, which holds a producer, took that long to let go).
     */
    static void abandonArtemis(Session session) {
        if (session instanceof org.apache.activemq.artemis.jms.client.ActiveMQSession s
                && s.getCoreSession() instanceof org.apache.activemq.artemis.core.client.impl.ClientSessionInternal core) {
            try {
                core.getSessionContext().cleanup(); // the channel closed: what follows sends nothing that waits
                core.cleanUp(false);
            } catch (org.apache.activemq.artemis.api.core.ActiveMQException | RuntimeException e) {
                // the close that follows tries the usual way
            }
        }
    }

    /** Cleans the session factory up ({@code cleanup}: reconnection stopped, every session cleaned up on the client). */
    static void abandonArtemis(jakarta.jms.Connection connection) {
        if (connection instanceof org.apache.activemq.artemis.jms.client.ActiveMQConnection c && c.getSessionFactory() != null) {
            try {
                c.getSessionFactory().cleanup();
            } catch (RuntimeException e) {
                // the close that follows tries the usual way
            }
        }
    }

    /** Artemis names the queue of a shared durable subscription without a client id by the subscription's name. */
    @Override
    public void watch(jakarta.jms.Connection connection, io.anymq.spi.ConnectionState state) throws JMSException {
        watchArtemis(connection, state);
    }

    /**
     * The Artemis client's failover listener (also called when it reconnects to the same server):
     * failure detected is RECONNECTING, completed CONNECTED, failed DISCONNECTED; and the JMS
     * exception listener (code {@code FAILOVER}: it is back; any other: lost for good). Shared with
     * the HornetQ dialect, which uses the same client.
     */
    static void watchArtemis(jakarta.jms.Connection connection, io.anymq.spi.ConnectionState state) throws JMSException {
        connection.setExceptionListener(e -> {
            if ("FAILOVER".equals(e.getErrorCode())) {
                state.connected();
            } else {
                state.disconnected(io.anymq.spi.Failures.describe(e));
            }
        });
        if (connection instanceof org.apache.activemq.artemis.jms.client.ActiveMQConnection c) {
            c.setFailoverListener(type -> {
                switch (type) {
                    case FAILURE_DETECTED -> state.reconnecting("the client detected a connection failure and reconnects");
                    case FAILOVER_COMPLETED -> state.connected();
                    case FAILOVER_FAILED -> state.disconnected("the client could not reconnect");
                    default -> {
                        // no other event changes whether the connection works
                    }
                }
            });
        }
    }

    @Override
    public String queueName(String topic, String group) {
        return subscription(topic, group);
    }

    private static String subscription(String topic, String group) {
        return topic + ":" + group;
    }
}
