package io.anymq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import org.apache.activemq.command.Command;
import org.apache.activemq.command.Response;
import org.apache.activemq.management.JMSStatsImpl;
import org.apache.activemq.transport.Transport;
import org.apache.activemq.util.IdGenerator;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * activemq-client's connection with the two things a batch of acks needs (see {@link ActiveMqDialect}): an
 * individual ack sent <em>oneway</em> by the thread that asks for it, while every other ack of the connection stays a
 * request the client waits for ({@code sendAcksAsync=false}); and a count of the failover transport's interruptions,
 * so that a batch that spans a reconnect is known to be in doubt. The client reads {@link #isSendAcksAsync()} on the
 * thread that sends the ack ({@code ActiveMQSession.sendAck}), hence the thread-local switch.
 *
 * <p>And requests that an interrupt cannot break: activemq-client fails the <em>whole connection</em> when a thread
 * waiting for an answer is interrupted ({@code FutureResponse.getResult} hands an {@code InterruptedIOException} to the
 * transport's {@code onException}: every later call says "Disposed due to prior exception" or "The JMS connection has
 * failed"), so one application thread interrupted in a receive (whose delivered-ack is a request), an ack, a consumer's
 * creation or close would cut every producer and consumer of the client off for good. Each request here is sent and
 * waited for by a thread of the connection's own; the caller waits for it without being interruptible (a request is
 * bounded by the client's request timeout, or by the failover transport's timeout while it reconnects) and finds its
 * interrupt flag set again afterwards.
 *
 * <p>And commands that wait for a lost connection no longer than a message does: while the failover transport
 * reconnects it bounds only messages by its {@code timeout} (the send timeout) and answers removals and acks itself;
 * every other command (a session's, consumer's or producer's creation, a transaction's commit or rollback, a
 * destination's creation) waited in it until the broker came back, for ever if it did not. Such a command, made while
 * the connection is lost, now waits for the reconnection up to the same timeout and then fails (a
 * {@code ConnectionException}); it is not sent at all then, so the broker never gets a consumer nobody closes.
 * Left open: a connection lost in the instant between that check and the send holds the command until the broker
 * is back.
 */
final class OpenWireConnection extends ActiveMQConnection {
    private static final ThreadLocal<Boolean> ONEWAY = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final AtomicInteger REQUEST_THREADS = new AtomicInteger();
    private final AtomicLong interruptions = new AtomicLong();
    /** Sends the connection's requests and waits for their answers (see the class comment); threads come and go with use. */
    private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "anymq-activemq-request-" + REQUEST_THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    OpenWireConnection(Transport transport, IdGenerator clientIds, IdGenerator connectionIds, JMSStatsImpl stats) throws Exception {
        super(transport, clientIds, connectionIds, stats);
    }

    @Override
    public void asyncSendPacket(Command command) throws JMSException {
        awaitReconnectionFor(command);
        super.asyncSendPacket(command);
    }

    @Override
    public Response syncSendPacket(Command command, int timeout) throws JMSException {
        awaitReconnectionFor(command);
        if (requests == null) {
            return super.syncSendPacket(command, timeout); // from activemq-client's constructor, before this class's fields are set
        }
        Future<Response> answer;
        try {
            answer = requests.submit(() -> super.syncSendPacket(command, timeout));
        } catch (RejectedExecutionException closed) {
            return super.syncSendPacket(command, timeout);
        }
        return JmsErrors.awaitCall(answer); // the interrupt, if one came, is kept for after the answer
    }

    /**
     * For a command the failover transport would hold until the broker is back (see the class comment): while the
     * connection is lost, waits for the reconnection up to the transport's timeout (the send timeout), then fails.
     */
    private void awaitReconnectionFor(Command command) throws JMSException {
        if (command == null || command.isMessage() || command.isMessageAck() || command.isShutdownInfo()
                || command instanceof org.apache.activemq.command.RemoveInfo || command instanceof org.apache.activemq.command.MessagePull) {
            return; // bounded by the transport's timeout, or answered by the transport itself while it reconnects
        }
        org.apache.activemq.transport.failover.FailoverTransport failover = getTransport().narrow(org.apache.activemq.transport.failover.FailoverTransport.class);
        if (failover == null || failover.isConnected() || failover.getTimeout() <= 0) {
            return;
        }
        boolean back = Polling.until(() -> failover.isConnected() || isClosed() || failover.isDisposed(),
                java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(failover.getTimeout()));
        if (isClosed() || failover.isDisposed()) {
            throw new org.apache.activemq.ConnectionClosedException();
        }
        if (!back) {
            throw new JMSException("the connection to the broker is lost, and the failover transport did not get it back within "
                    + failover.getTimeout() + " ms (the send timeout): " + command.getClass().getSimpleName() + " not sent");
        }
    }

    @Override
    public void close() throws JMSException {
        try {
            super.close();
        } finally {
            requests.shutdown();
        }
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
