package io.anymq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.core.client.impl.ClientConsumerInternal;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessageConsumer;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.activemq.artemis.jms.client.JMSExceptionHelper;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The consumer side of the Artemis and HornetQ dialects, where Artemis' JMS client does more round
 * trips than the driver needs.
 *
 * <p>Acknowledging: Artemis' JMS {@code acknowledge()} in individual-acknowledge mode is an individual
 * ack and a commit of the session's acks, each a blocking round trip with {@code blockOnAcknowledge}.
 * The driver sends the individual ack without waiting ({@code blockOnAcknowledge=false}) and waits for
 * the commit: the server handles a session's packets in order, so when the commit's answer arrives the
 * ack is committed (in the journal). One round trip instead of two, the same promise.
 *
 * <p>Receiving: whether an Artemis JMS consumer (Artemis and HornetQ dialects) holds messages in its client-side
 * buffer. Its {@code receiveNoWait} on an empty buffer sends the server a "force delivery" request and
 * waits for the answer, one round trip that a poll which only wants what has already arrived need not
 * pay: the driver asks for more only while the buffer holds some. The core consumer sits in a private
 * field of {@link ActiveMQMessageConsumer}; if a newer client moves it, every poll simply asks (the
 * old behaviour: slower, never wrong).
 */
final class ArtemisConsumers {
    private static final Field CORE = coreField();

    private ArtemisConsumers() {
    }

    private static Field coreField() {
        try {
            Field f = ActiveMQMessageConsumer.class.getDeclaredField("consumer");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /** One message's ack, sent without waiting; durable once {@link #commit} returns. */
    static void acknowledgeUncommitted(Session session, Message m) throws JMSException {
        if (!(m instanceof ActiveMQMessage am) || !(session instanceof ActiveMQSession)) {
            m.acknowledge(); // a foreign message: acknowledged and committed on its own
            return;
        }
        try {
            am.getCoreMessage().individualAcknowledge();
        } catch (ActiveMQException e) {
            throw JMSExceptionHelper.convertFromActiveMQException(e);
        }
    }

    /**
     * Commits the acks sent since the last commit, waited for: the server handles a session's packets
     * in order, so when the answer arrives every ack sent before it is in the journal. A failed commit
     * (the connection failed over meanwhile, the broker refused) leaves those messages to be delivered
     * again.
     */
    static void commit(Session session) throws JMSException {
        if (!(session instanceof ActiveMQSession as)) {
            return;
        }
        try {
            as.getCoreSession().commit(true);
        } catch (ActiveMQException e) {
            throw JMSExceptionHelper.convertFromActiveMQException(e);
        }
    }

    /**
     * A timed receive that never waits for a "force delivery" answer. Artemis' {@code receive(timeout)} asks the
     * server to force a delivery once the timeout passed with nothing in the buffer, and waits for that answer
     * without a bound: with the connection lost at that moment (a broker killed, while the client reconnects for
     * ever) it never comes, and the poll would hang until the broker is back, so that a receive could never say the
     * connection is lost. Instead the poll waits on the core consumer's monitor (which the client notifies when a
     * message enters the buffer) until the buffer holds one, then takes it with {@code receiveNoWait} (which does
     * not ask the server while the buffer holds one). With a consumer window of 0 (a slow consumer: only a forced
     * delivery brings messages) or without the core consumer (a newer client moved it), the JMS {@code receive}.
     * A wait of 0 takes only what the buffer holds (never a force-delivery round trip).
     */
    static Dialect.TimedReceive receiver(MessageConsumer consumer) {
        ClientConsumerInternal core = core(consumer);
        if (core == null) {
            return waitMs -> waitMs <= 0 ? consumer.receiveNoWait() : consumer.receive(waitMs);
        }
        return waitMs -> {
            if (core.getClientWindowSize() == 0) {
                return waitMs <= 0 ? consumer.receiveNoWait() : consumer.receive(waitMs);
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            synchronized (core) {
                long left;
                while (core.getBufferSize() == 0 && !core.isClosed() && (left = end - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(core, left);
                }
            }
            return core.getBufferSize() > 0 ? consumer.receiveNoWait() : null;
        };
    }

    private static ClientConsumerInternal core(MessageConsumer consumer) {
        if (CORE != null && consumer instanceof ActiveMQMessageConsumer) {
            try {
                if (CORE.get(consumer) instanceof ClientConsumerInternal core) {
                    return core;
                }
            } catch (IllegalAccessException e) {
                return null;
            }
        }
        return null;
    }

    static BooleanSupplier holdsMore(MessageConsumer consumer) {
        ClientConsumerInternal core = core(consumer);
        return core == null ? () -> true : () -> core.getBufferSize() > 0;
    }
}
