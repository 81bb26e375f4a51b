package io.anymq;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The capabilities a client offers: a set of {@link Capability} and the largest payload it accepts.
 *
 * @param declared        the capabilities; an unmodifiable set
 * @param maxPayloadBytes the largest payload in bytes that a send accepts
 */
public record Capabilities(Set<Capability> declared, long maxPayloadBytes) {

    /**
     * Checks and copies the set.
     *
     * @param declared        the capabilities
     * @param maxPayloadBytes the largest payload in bytes, zero or more
     */
    public Capabilities {
        Objects.requireNonNull(declared, "declared");
        if (maxPayloadBytes < 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 0: " + maxPayloadBytes);
        }
        declared = declared.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(declared));
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
                + " maxPayload=" + maxPayloadBytes;
    }
}
