package io.anymq;

/**
 * The backend does not offer a capability that the call needs. Raised at the moment the capability
 * is asked for (creating a producer or consumer with an option, sending a message, settling a
 * delivery), never silently ignored.
 */
public class UnsupportedCapabilityException extends MessagingException {
    private final Capability capability;
    private final String provider;

    /**
     * A capability the backend lacks.
     *
     * @param capability  the capability
     * @param provider    the provider's name
     * @param whatNeedsIt the call or option that asked for it, for the message
     */
    public UnsupportedCapabilityException(Capability capability, String provider, String whatNeedsIt) {
        super(provider + " does not support " + capability + " (needed by " + whatNeedsIt + ")", false);
        this.capability = capability;
        this.provider = provider;
    }

    /**
     * The capability that was asked for.
     *
     * @return the capability
     */
    public Capability capability() {
        return capability;
    }

    /**
     * The provider that lacks it.
     *
     * @return the provider's name
     */
    public String provider() {
        return provider;
    }
}
