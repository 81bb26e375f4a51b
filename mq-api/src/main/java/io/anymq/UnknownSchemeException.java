package io.anymq;

import java.util.List;

/** No provider on the class path serves the URL's scheme. The message lists the schemes that are available. */
public class UnknownSchemeException extends ConfigurationException {
    private final String scheme;
    private final List<String> available;

    /**
     * A scheme no provider serves.
     *
     * @param scheme    the URL's scheme
     * @param available the schemes the providers on the class path serve
     */
    public UnknownSchemeException(String scheme, List<String> available) {
        super("no anymq provider for scheme '" + scheme + "'; available schemes: "
                + (available.isEmpty() ? "(none)" : String.join(", ", available))
                + ". Add the backend's module (io.anymq:mq-<backend>) to the class path.");
        this.scheme = scheme;
        this.available = List.copyOf(available);
    }

    /**
     * The scheme that was asked for.
     *
     * @return the URL's scheme, lower case
     */
    public String scheme() {
        return scheme;
    }

    /**
     * The schemes that are available.
     *
     * @return every scheme served by a provider on the class path; unmodifiable
     */
    public List<String> available() {
        return available;
    }
}
