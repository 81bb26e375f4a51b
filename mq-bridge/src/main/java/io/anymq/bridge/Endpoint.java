package io.anymq.bridge;

import io.anymq.Messaging;
import io.anymq.MessagingClient;
import io.anymq.Redaction;

/** A side of the bridge: a URL the bridge connects to (and closes), or a client the caller owns. */
record Endpoint(String url, MessagingClient client) {

    static Endpoint of(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a URL is required");
        }
        return new Endpoint(url, null);
    }

    static Endpoint of(MessagingClient client) {
        if (client == null) {
            throw new IllegalArgumentException("a client is required");
        }
        return new Endpoint(null, client);
    }

    /** Whether the bridge makes (and so closes) the client. */
    boolean owned() {
        return client == null;
    }

    MessagingClient connect() {
        return client != null ? client : Messaging.connect(url);
    }

    @Override
    public String toString() {
        return client != null ? client.provider() + " client" : Redaction.url(url);
    }
}
