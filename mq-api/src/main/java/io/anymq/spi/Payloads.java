package io.anymq.spi;

import io.anymq.Message;

import java.util.Objects;

/**
 * A driver's access to a message's payload without a copy: {@link Message#payload()} copies the array for an
 * application, which may change what it gets; a driver only hands the bytes to its client library, and a
 * message built from bytes the driver just received needs no copy of its own. Both methods share an array
 * between the message and the driver, so the rule is on the driver: <b>never change the array</b>, neither the
 * one {@link #shared(Message)} returns nor one given to {@link #adopt(Message.Builder, byte[])} after that call.
 * For drivers only; an application reads {@link Message#payload()} or {@link Message#payloadBuffer()}.
 */
public final class Payloads {
    /** The message class's own accessor, installed once when {@code Message} is initialized. */
    private static Access access;

    static {
        try { // initializes Message, which installs its accessor
            Class.forName(Message.class.getName(), true, Payloads.class.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private Payloads() {
    }

    /**
     * The message's payload array itself, not a copy: pass it to the client library, never change it.
     *
     * @param message the message
     * @return the array the message holds (possibly a shared empty array)
     */
    public static byte[] shared(Message message) {
        return access.payload(Objects.requireNonNull(message, "message"));
    }

    /**
     * Sets the builder's payload to this array without copying it: the driver gives the array away and
     * must neither change nor reuse it afterwards (a client library's freshly decoded body, for example).
     *
     * @param builder the builder
     * @param owned   the payload, not null
     * @return the builder
     */
    public static Message.Builder adopt(Message.Builder builder, byte[] owned) {
        access.adopt(Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(owned, "payload"));
        return builder;
    }

    /**
     * How {@code Message} lends its payload to this class; not for drivers.
     *
     * @param a the accessor; a second installation is refused
     */
    public static void install(Access a) {
        if (access != null || !a.getClass().getName().startsWith("io.anymq.Message")) {
            throw new IllegalStateException("the payload accessor is installed by io.anymq.Message only");
        }
        access = a;
    }

    /** The installed accessor, for the SPI's other helpers ({@link IdTimes}). */
    static Access access() {
        return access;
    }

    /** Implemented by {@code Message} alone. */
    public interface Access {
        /**
         * @param message a message
         * @return its payload array
         */
        byte[] payload(Message message);

        /**
         * @param builder a builder
         * @param owned   an array it takes as its payload
         */
        void adopt(Message.Builder builder, byte[] owned);

        /**
         * @param message a message
         * @param prefix  ASCII text to put before the id
         * @return the prefix and the id the SDK generated for the message at its timestamp, made as one
         *         string without the id's own; null when the id was not generated so (given, or none)
         */
        String generatedId(Message message, String prefix);

        /**
         * @param builder a builder
         * @param millis  the timestamp in milliseconds since the epoch, made into an {@code Instant} only when read
         */
        void timestampMillis(Message.Builder builder, long millis);

        /**
         * @param message a message
         * @return whether its id and timestamp are a stamp the SDK made (given neither)
         */
        boolean generatedStamp(Message message);

        /**
         * @param builder a builder given neither id nor timestamp
         * @param millis  the time of receipt in milliseconds since the epoch
         */
        void namedAtReceipt(Message.Builder builder, long millis);
    }
}
