package io.anymq;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The unmodifiable set behind {@link Capabilities#declared()}: an {@link EnumSet} that nobody else holds, answering
 * {@code contains} with its bit test. {@link Collections#unmodifiableSet} was the view before; its {@code contains} is
 * one call site for every wrapped collection of the JVM, so the JIT did not inline it, and {@link Capabilities#has}
 * is asked per delivery ({@code Delivery.deliveryCount}, {@code nack}): 3-4 % of {@code mem:}'s samples.
 */
final class CapabilitySet extends AbstractSet<Capability> {
    private final EnumSet<Capability> set;

    private CapabilitySet(EnumSet<Capability> set) {
        this.set = set;
    }

    /** An unmodifiable copy of the capabilities (the same object when it is one already). */
    static Set<Capability> of(Set<Capability> capabilities) {
        if (capabilities instanceof CapabilitySet) {
            return capabilities;
        }
        return new CapabilitySet(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities));
    }

    @Override
    public boolean contains(Object o) {
        return set.contains(o);
    }

    @Override
    public Iterator<Capability> iterator() {
        return Collections.unmodifiableSet(set).iterator();
    }

    @Override
    public int size() {
        return set.size();
    }
}
