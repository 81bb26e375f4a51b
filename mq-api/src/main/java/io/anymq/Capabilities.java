package io.anymq;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The capabilities a client offers: a set of {@link Capability}, the largest payload it accepts, and
 * how its ack timeout behaves.
 *
 * @param declared             the capabilities; an unmodifiable set
 * @param maxPayloadBytes      the largest payload in bytes that a send accepts
 * @param minimumAckTimeout    the shortest ack timeout a consumer may ask for ({@link Duration#ZERO}: no
 *                             minimum); a shorter one is refused with {@link ConfigurationException}
 * @param ackTimeoutRedelivery who gets a delivery again after its ack timeout (meaningful with
 *                             {@link Capability#ACK_TIMEOUT})
 * @param maximumNackDelay     the longest delay a {@link Delivery#nack(Duration)} may ask for (at most
 *                             {@link Delivery#MAX_NACK_DELAY}, the default): a longer one is refused with an
 *                             {@link IllegalArgumentException} before the delivery is settled, so that it can still be
 *                             settled otherwise (meaningful with {@link Capability#NACK_REDELIVERY})
 */
public record Capabilities(Set<Capability> declared, long maxPayloadBytes, Duration minimumAckTimeout,
                           AckTimeoutRedelivery ackTimeoutRedelivery, Duration maximumNackDelay) {

    /**
     * Checks and copies the set.
     *
     * @param declared             the capabilities
     * @param maxPayloadBytes      the largest payload in bytes, zero or more
     * @param minimumAckTimeout    the shortest ack timeout a consumer may ask for, zero for none
     * @param ackTimeoutRedelivery who gets a delivery again after its ack timeout
     * @param maximumNackDelay     the longest nack delay, more than zero and at most {@link Delivery#MAX_NACK_DELAY}
     */
    public Capabilities {
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(minimumAckTimeout, "minimumAckTimeout");
        Objects.requireNonNull(ackTimeoutRedelivery, "ackTimeoutRedelivery");
        Objects.requireNonNull(maximumNackDelay, "maximumNackDelay");
        if (maximumNackDelay.isNegative() || maximumNackDelay.isZero() || maximumNackDelay.compareTo(Delivery.MAX_NACK_DELAY) > 0) {
            throw new IllegalArgumentException("maximumNackDelay must be more than zero and at most " + Delivery.MAX_NACK_DELAY.toDays()
                    + " days: " + maximumNackDelay);
        }
        if (maxPayloadBytes < 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 0: " + maxPayloadBytes);
        }
        if (minimumAckTimeout.isNegative()) {
            throw new IllegalArgumentException("minimumAckTimeout must not be negative: " + minimumAckTimeout);
        }
        // an EnumSet answers has() with a bit test; asked per delivery (Settlements), a hashed set and then an
        // unmodifiable view (never inlined) showed in profiles
        declared = CapabilitySet.of(declared);
    }

    /**
     * These capabilities, with nack delays up to {@link Delivery#MAX_NACK_DELAY}.
     *
     * @param declared             the capabilities
     * @param maxPayloadBytes      the largest payload in bytes, zero or more
     * @param minimumAckTimeout    the shortest ack timeout a consumer may ask for, zero for none
     * @param ackTimeoutRedelivery who gets a delivery again after its ack timeout
     */
    public Capabilities(Set<Capability> declared, long maxPayloadBytes, Duration minimumAckTimeout,
                        AckTimeoutRedelivery ackTimeoutRedelivery) {
        this(declared, maxPayloadBytes, minimumAckTimeout, ackTimeoutRedelivery, Delivery.MAX_NACK_DELAY);
    }

    /**
     * These capabilities, with no minimum ack timeout, redelivery to {@link AckTimeoutRedelivery#ANY_MEMBER} and nack
     * delays up to {@link Delivery#MAX_NACK_DELAY}.
     *
     * @param declared        the capabilities
     * @param maxPayloadBytes the largest payload in bytes, zero or more
     */
    public Capabilities(Set<Capability> declared, long maxPayloadBytes) {
        this(declared, maxPayloadBytes, Duration.ZERO, AckTimeoutRedelivery.ANY_MEMBER);
    }

    /**
     * A set of capabilities with a payload limit.
     *
     * @param maxPayloadBytes the largest payload in bytes that a send accepts
     * @param capabilities    the capabilities declared
     * @return the capabilities
     */
    public static Capabilities of(long maxPayloadBytes, Capability... capabilities) {
        EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
        set.addAll(java.util.Arrays.asList(capabilities));
        return new Capabilities(set, maxPayloadBytes);
    }

    /**
     * The same, with this shortest ack timeout a consumer may ask for.
     *
     * @param minimum the minimum, zero for none
     * @return the capabilities with that minimum
     */
    public Capabilities withMinimumAckTimeout(Duration minimum) {
        return new Capabilities(declared, maxPayloadBytes, minimum, ackTimeoutRedelivery, maximumNackDelay);
    }

    /**
     * The same, with this ack-timeout redelivery.
     *
     * @param redelivery who gets a timed-out delivery again
     * @return the capabilities with that redelivery
     */
    public Capabilities withAckTimeoutRedelivery(AckTimeoutRedelivery redelivery) {
        return new Capabilities(declared, maxPayloadBytes, minimumAckTimeout, redelivery, maximumNackDelay);
    }

    /**
     * The same, with this longest nack delay (a broker that keeps a message back for a bounded time).
     *
     * @param maximum the longest delay a nack may ask for, more than zero and at most {@link Delivery#MAX_NACK_DELAY}
     * @return the capabilities with that maximum
     */
    public Capabilities withMaximumNackDelay(Duration maximum) {
        return new Capabilities(declared, maxPayloadBytes, minimumAckTimeout, ackTimeoutRedelivery, maximum);
    }

    /**
     * Whether a capability is declared.
     *
     * @param capability the capability
     * @return true when declared
     */
    public boolean has(Capability capability) {
        return declared.contains(capability);
    }

    /** The guarantee that follows from {@link Capability#AT_LEAST_ONCE}. */
    public Guarantee guarantee() {
        return has(Capability.AT_LEAST_ONCE) ? Guarantee.AT_LEAST_ONCE : Guarantee.AT_MOST_ONCE;
    }

    /** The capabilities this set lacks, in enum order. */
    public Set<Capability> missing() {
        EnumSet<Capability> all = EnumSet.allOf(Capability.class);
        all.removeAll(declared);
        return all;
    }

    @Override
    public String toString() {
        return declared.stream().sorted().map(Enum::name).collect(Collectors.joining(", ", "[", "]"))
                + " maxPayload=" + maxPayloadBytes
                + (minimumAckTimeout.isZero() ? "" : " minimumAckTimeout=" + minimumAckTimeout)
                + (ackTimeoutRedelivery == AckTimeoutRedelivery.ANY_MEMBER ? "" : " ackTimeoutRedelivery=" + ackTimeoutRedelivery)
                + (maximumNackDelay.equals(Delivery.MAX_NACK_DELAY) ? "" : " maximumNackDelay=" + maximumNackDelay);
    }
}
