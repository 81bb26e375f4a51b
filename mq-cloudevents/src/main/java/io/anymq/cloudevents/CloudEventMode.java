package io.anymq.cloudevents;

/** How a CloudEvent travels in a {@link io.anymq.Message} (the CloudEvents protocol bindings' content modes). */
public enum CloudEventMode {
    /**
     * Binary content mode: the event's data is the payload, its attributes are headers
     * ({@code ce_id}, {@code ce_source}, ...; {@code datacontenttype} is {@code content-type}), as
     * the CloudEvents Kafka binding names them.
     */
    BINARY,
    /**
     * Structured content mode: the whole event, attributes and data, is the payload in the JSON
     * event format; the header {@code content-type} is {@code application/cloudevents+json}.
     */
    STRUCTURED
}
