package io.anymq.cloudevents;

import io.anymq.Message;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.message.impl.BaseGenericBinaryMessageReaderImpl;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Reads a binary-mode CloudEvent from a message's headers: those under one prefix ({@code ce_},
 * {@code ce-}, {@code cloudEvents_} or {@code cloudEvents:}, compared ignoring case) are the
 * attributes, {@code content-type} is {@code datacontenttype}, the payload is the data.
 */
final class MessageBinaryReader extends BaseGenericBinaryMessageReaderImpl<String, String> {
    private final Message message;
    private final String prefix;

    MessageBinaryReader(SpecVersion version, Message message, String prefix) {
        super(version, message.payloadSize() > 0 ? BytesCloudEventData.wrap(message.payload()) : null);
        this.message = message;
        this.prefix = prefix;
    }

    @Override
    protected boolean isContentTypeHeader(String key) {
        return key.equalsIgnoreCase(CloudEventMessages.CONTENT_TYPE);
    }

    @Override
    protected boolean isCloudEventsHeader(String key) {
        return key.length() > prefix.length() && key.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    @Override
    protected String toCloudEventsKey(String key) {
        return key.substring(prefix.length()).toLowerCase(Locale.ROOT);
    }

    @Override
    protected void forEachHeader(BiConsumer<String, String> fn) {
        message.headers().forEach(fn);
    }

    @Override
    protected String toCloudEventsValue(String value) {
        return value;
    }
}
