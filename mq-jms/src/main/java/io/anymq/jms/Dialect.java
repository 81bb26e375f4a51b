package io.anymq.jms;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * What one JMS broker does differently; the driver around it is the same for all. A dialect names
 * where a topic's messages go, how a group of competing consumers that each get every message is
 * made, where a copy for one group only is sent, and how a message is held until a time.
 */
interface Dialect {

    /** The URL scheme, such as {@code activemq}. */
    String scheme();

    /** The broker's name for messages: {@code ActiveMQ Classic}. */
    String brokerName();

    /** The prefix of native settings: {@code activemq.}. */
    String nativePrefix();

    int defaultPort();

    /** The native connection factory, configured from the settings and then the native options. */
    ConnectionFactory factory(JmsSettings settings, Map<String, String> nativeOptions);

    /** The session mode in which acknowledging one message acknowledges only that one. */
    int individualAcknowledgeMode();

    /** Where a producer of the topic sends. */
    Destination topic(Session session, String topic) throws JMSException;

    /** A member of the group: a consumer that competes with the group's other members for the group's copy of each message. */
    MessageConsumer join(Session session, String topic, String group, int prefetch) throws JMSException;

    /** Where a message is sent so that only this group gets it again (a nack, a release). */
    Destination groupOnly(Session session, String topic, String group) throws JMSException;

    /** Marks a copy sent to {@link #groupOnly} as meant for that group only, where the destination alone does not say it. */
    default void markForGroup(Message message, String group) throws JMSException {
    }

    /**
     * Sends a persistent message on the (anonymous) producer; the future completes when the broker
     * has stored it, or fails with the broker's answer. The default is a synchronous send, complete on
     * return. A dialect that sends asynchronously completes the future on a thread of the client
     * library that may block (never on its I/O thread), or through {@code callbacks}.
     */
    default CompletableFuture<Void> send(MessageProducer producer, Destination to, Message message, Executor callbacks) throws JMSException {
        producer.send(to, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        return CompletableFuture.completedFuture(null);
    }

    /** Whether {@link #send} blocks until the broker answered (the default, synchronous send does). */
    default boolean sendsBlock() {
        return true;
    }

    /** Whether {@link #send} needs the driver's callback executor (the client calls back on its I/O thread). */
    default boolean callsBackOnIoThread() {
        return false;
    }

    /**
     * Tells whether the consumer holds a message it has received from the broker already, so that
     * {@code receiveNoWait} returns it without a round trip. Artemis' {@code receiveNoWait} on an
     * empty buffer asks the server to "force delivery" and waits for its answer; ActiveMQ Classic's
     * looks at its own prefetch buffer only (the default: always worth asking).
     */
    default BooleanSupplier holdsMore(MessageConsumer consumer) {
        return () -> true;
    }

    /** A receive that waits at most {@code waitMs} for a message (0: takes what has arrived); null when none came. */
    @FunctionalInterface
    interface TimedReceive {
        Message receive(long waitMs) throws JMSException, InterruptedException;
    }

    /**
     * How the consumer's poll waits for a message: the JMS {@code receive(timeout)} by default ({@code receiveNoWait} for 0). Artemis and HornetQ
     * wait on the buffer instead ({@link ArtemisConsumers#receiver}: their {@code receive} may wait without a bound
     * for a server that is gone).
     */
    default TimedReceive receiver(MessageConsumer consumer) {
        return waitMs -> waitMs <= 0 ? consumer.receiveNoWait() : consumer.receive(waitMs);
    }

    /**
     * Whether a receive failed because the member's session is unusable from now on, so that the driver
     * closes it and joins again (its unacknowledged messages come again). False by default.
     */
    default boolean sessionWentStale(Exception receiveFailure) {
        return false;
    }

    /**
     * Sends this one message's ack without waiting (JMS individual acknowledge mode); it is durable once the batch's
     * {@link #acknowledgeAndCommit} returns. Acks are gathered so: the driver settles in batches, one awaited command
     * (one journal sync) per batch instead of one per message.
     */
    void acknowledgeUncommitted(Session session, Message message) throws JMSException;

    /** Commits the acks sent since the last commit and returns when the broker has them durably. */
    default void commitAcknowledgements(Session session) throws JMSException {
    }

    /**
     * The last ack of a batch: acknowledges the message and commits, returning when the broker has it and every ack
     * sent since the last commit durably. The default sends it as the others and then commits (Artemis, HornetQ);
     * ActiveMQ Classic makes this ack itself the one request of the batch.
     */
    default void acknowledgeAndCommit(Session session, Message message) throws JMSException {
        acknowledgeUncommitted(session, message);
        commitAcknowledgements(session);
    }

    /**
     * How many times the session's connection has reconnected so far, where acks sent without waiting are lost or
     * refused silently by a reconnect (ActiveMQ Classic): a batch's settlement then fails as in doubt if the count
     * moved between a message's receive and the batch's commit. 0 (never moves) by default.
     */
    default long reconnects(Session session) throws JMSException {
        return 0;
    }

    /** Marks the message to be held by the broker until the time (epoch milliseconds). */
    void holdUntil(Message message, long epochMillis) throws JMSException;

    /** Whether a broker of this kind may run without holding delayed messages (then the driver probes at connect). */
    default boolean mayLackScheduler() {
        return false;
    }

    /**
     * Whether string properties keep characters outside the Basic Multilingual Plane (emoji).
     * ActiveMQ Classic's OpenWire writes them as modified UTF-8 and reads them back as UTF-8, which
     * breaks them: such values then travel as Base64 (see {@link JmsMessages}).
     */
    default boolean propertiesKeepSupplementaryCharacters() {
        return true;
    }

    /**
     * Reports the connection's state as the client library sees it. The default hears only what every
     * JMS client tells: a failure it does not recover from (the {@code ExceptionListener}).
     */
    default void watch(jakarta.jms.Connection connection, io.anymq.spi.ConnectionState state) throws JMSException {
        connection.setExceptionListener(e -> state.disconnected(io.anymq.spi.Failures.describe(e)));
    }

    /** The broker's own name of the group's queue, for the README's mapping and for errors. */
    String queueName(String topic, String group);

    /**
     * Lets a session go without asking the broker, before it is closed while the connection is lost (the broker
     * has dropped the session with the connection; what it held unacknowledged comes again). The Artemis client
     * asks the broker to close every consumer and session and waits for the reconnection, then for an answer,
     * each time (about two send timeouts per call, for as long as the broker is away): a client closed during an
     * outage hung in it. The default does nothing: the close asks the broker as usual.
     */
    default void abandon(Session session) {
    }

    /** As {@link #abandon(Session)}, for the whole connection, before it is closed while lost: it stops reconnecting. */
    default void abandon(jakarta.jms.Connection connection) {
    }
}
