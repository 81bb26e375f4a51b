package io.anymq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import org.apache.activemq.management.JMSStatsImpl;
import org.apache.activemq.transport.Transport;
import org.apache.activemq.util.IdGenerator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * activemq-client's connection with the two things a batch of acks needs (see {@link ActiveMqDialect}): an
 * individual ack sent <em>oneway</em> by the thread that asks for it, while every other ack of the connection stays a
 * request the client waits for ({@code sendAcksAsync=false}); and a count of the failover transport's interruptions,
 * so that a batch that spans a reconnect is known to be in doubt. The client reads {@link #isSendAcksAsync()} on the
 * thread that sends the ack ({@code ActiveMQSession.sendAck}), hence the thread-local switch.
 */
final class OpenWireConnection extends ActiveMQConnection {
    private static final ThreadLocal<Boolean> ONEWAY = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final AtomicLong interruptions = new AtomicLong();

    OpenWireConnection(Transport transport, IdGenerator clientIds, IdGenerator connectionIds, JMSStatsImpl stats) throws Exception {
        super(transport, clientIds, connectionIds, stats);
    }

    /** Acknowledges the message (individual acknowledge mode) without waiting for the broker's answer. */
    static void acknowledgeOneway(Message message) throws JMSException {
        ONEWAY.set(Boolean.TRUE);
        try {
            message.acknowledge();
        } finally {
            ONEWAY.set(Boolean.FALSE);
        }
    }

    @Override
    public boolean isSendAcksAsync() {
        return ONEWAY.get() || super.isSendAcksAsync();
    }

    @Override
    public void transportInterupted() {
        interruptions.incrementAndGet();
        super.transportInterupted();
    }

    /** How many times the connection was interrupted (the failover transport then reconnects). */
    long interruptions() {
        return interruptions.get();
    }

    /** The factory of plain TCP connections that makes {@link OpenWireConnection}s. */
    static final class Factory extends ActiveMQConnectionFactory {
        Factory(String url) {
            super(url);
        }

        @Override
        protected ActiveMQConnection createActiveMQConnection(Transport transport, JMSStatsImpl stats) throws Exception {
            return create(this, transport, getClientIdGenerator(), getConnectionIdGenerator(), stats);
        }
    }

    /** The TLS factory that makes {@link OpenWireConnection}s. */
    static final class SslFactory extends ActiveMQSslConnectionFactory {
        SslFactory(String url) {
            super(url);
        }

        @Override
        protected ActiveMQConnection createActiveMQConnection(Transport transport, JMSStatsImpl stats) throws Exception {
            return create(this, transport, getClientIdGenerator(), getConnectionIdGenerator(), stats);
        }
    }

    /** As activemq-client's own factory makes its connection (it copies the compliance flag; the rest comes later). */
    private static ActiveMQConnection create(ActiveMQConnectionFactory f, Transport transport, IdGenerator clientIds,
                                             IdGenerator connectionIds, JMSStatsImpl stats) throws Exception {
        OpenWireConnection c = new OpenWireConnection(transport, clientIds, connectionIds, stats);
        c.setStrictCompliance(f.isStrictCompliance());
        return c;
    }
}
