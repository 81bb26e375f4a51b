package io.anymq.cloudevents;

import io.anymq.Message;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventWriter;

/** Writes one CloudEvent into a {@link Message}: binary (headers) or structured (a format's bytes). Single use. */
final class MessageCloudEventWriter implements MessageWriter<CloudEventWriter<Message>, Message>, CloudEventWriter<Message> {
    private final Message.Builder builder = Message.builder();

    MessageCloudEventWriter(String key) {
        if (key != null) {
            builder.key(key);
        }
    }

    @Override
    public CloudEventWriter<Message> create(SpecVersion version) {
        builder.header(CloudEventMessages.HEADER_PREFIX + "specversion", version.toString());
        return this;
    }

    @Override
    public Message setEvent(EventFormat format, byte[] value) {
        builder.header(CloudEventMessages.CONTENT_TYPE, format.serializedContentType());
        builder.payload(value);
        return builder.build();
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) {
        if (name.equals("datacontenttype")) {
            builder.header(CloudEventMessages.CONTENT_TYPE, value);
        } else {
            builder.header(CloudEventMessages.HEADER_PREFIX + name, value);
        }
        return this;
    }

    @Override
    public Message end(CloudEventData data) {
        builder.payload(data.toBytes());
        return builder.build();
    }

    @Override
    public Message end() {
        return builder.build();
    }
}
