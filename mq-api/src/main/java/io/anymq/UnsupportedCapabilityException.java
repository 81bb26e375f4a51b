package io.anymq;

/**
 * The backend does not offer a capability that the call needs. Raised at the moment the capability
 * is asked for (creating a producer or consumer with an option, sending a message, settling a
 * delivery), never silently ignored.
 */
public class UnsupportedCapabilityException extends MessagingException {
    private final Capability capability;
    private final String provider;

    public UnsupportedCapabilityException(Capability capability, String provider, String whatNeedsIt) {
        super(provider + " does not support " + capability + " (needed by " + whatNeedsIt + ")", false);
        this.capability = capability;
        this.provider = provider;
    }

    public Capability capability() {
        return capability;
    }

    public String provider() {
        return provider;
    }
}
