package io.anymq.rocketmq;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.InvalidMessageException;
import io.anymq.InvalidNameException;
import io.anymq.MessageTooLargeException;
import io.anymq.MessagingException;
import io.anymq.MessagingTimeoutException;
import io.anymq.SettlementException;
import io.anymq.TopicNotFoundException;
import io.anymq.spi.Failures;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns rocketmq-client-java's exceptions into the SDK's typed errors. The client names the proxy's
 * status code only in the message ({@code [request-id=..., response-code=40013] ...}); the codes are
 * those of {@code apache.rocketmq.v2.Code}.
 */
final class RocketMqErrors {
    private static final Pattern CODE = Pattern.compile("response-code=(\\d+)");

    static final int ILLEGAL_TOPIC = 40002;
    static final int ILLEGAL_CONSUMER_GROUP = 40003;
    static final int ILLEGAL_MESSAGE_KEY = 40005;
    static final int ILLEGAL_MESSAGE_GROUP = 40006;
    static final int ILLEGAL_MESSAGE_PROPERTY_KEY = 40007;
    static final int ILLEGAL_INVISIBLE_TIME = 40011;
    static final int ILLEGAL_DELIVERY_TIME = 40012;
    static final int INVALID_RECEIPT_HANDLE = 40013;
    static final int MESSAGE_PROPERTY_CONFLICT_WITH_TYPE = 40014;
    static final int UNAUTHORIZED = 40100;
    static final int FORBIDDEN = 40300;
    static final int TOPIC_NOT_FOUND = 40402;
    static final int CONSUMER_GROUP_NOT_FOUND = 40403;
    static final int PAYLOAD_TOO_LARGE = 41300;
    static final int MESSAGE_BODY_TOO_LARGE = 41301;
    static final int MESSAGE_PROPERTIES_TOO_LARGE = 43101;

    private RocketMqErrors() {
    }

    /** The proxy's status code in a client exception, or -1. */
    static int code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                Matcher m = CODE.matcher(c.getMessage());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return -1;
    }

    static MessagingException map(Throwable e, String what) {
        Throwable t = Failures.unwrap(e);
        if (t instanceof MessagingException m) {
            return m;
        }
        int code = code(t);
        String text = what + ": " + Failures.describe(t);
        switch (code) {
            case UNAUTHORIZED, FORBIDDEN:
                return new AuthenticationException(text, t);
            case TOPIC_NOT_FOUND:
                return new TopicNotFoundException(text);
            case ILLEGAL_TOPIC, ILLEGAL_CONSUMER_GROUP:
                return new InvalidNameException(text);
            case PAYLOAD_TOO_LARGE, MESSAGE_BODY_TOO_LARGE:
                return new MessageTooLargeException(-1, -1, "rocketmq (the proxy refused the message: " + Failures.describe(t) + ")");
            case MESSAGE_PROPERTIES_TOO_LARGE:
                // the message's headers, key and the SDK's own headers travel as user properties: not the payload
                return new InvalidMessageException(what + ": its headers (RocketMQ user properties) are over the proxy's limit: " + Failures.describe(t));
            case ILLEGAL_MESSAGE_KEY, ILLEGAL_MESSAGE_GROUP, ILLEGAL_MESSAGE_PROPERTY_KEY, ILLEGAL_DELIVERY_TIME, MESSAGE_PROPERTY_CONFLICT_WITH_TYPE:
                return new InvalidMessageException(text);
            case ILLEGAL_INVISIBLE_TIME:
                return new ConfigurationException(text + " (the ack timeout or the nack delay is outside the proxy's invisible-time limits; see options min-ack-timeout and max-ack-timeout)", t);
            case INVALID_RECEIPT_HANDLE:
                return new SettlementException(SettlementException.Reason.EXPIRED,
                        what + ": the broker no longer holds this delivery (its invisible time, the ack timeout, passed)", t);
            default:
                break;
        }
        String name = t.getClass().getSimpleName();
        if (name.equals("UnauthorizedException") || name.equals("ForbiddenException")) {
            return new AuthenticationException(text, t);
        }
        if (t instanceof java.util.concurrent.TimeoutException || name.equals("ProxyTimeoutException")
                || (t.getMessage() != null && t.getMessage().contains("DEADLINE_EXCEEDED"))) {
            return new MessagingTimeoutException(text, t);
        }
        if (t.getMessage() != null && t.getMessage().contains("body size exceeds")) {
            return new MessageTooLargeException(-1, -1, "rocketmq (the client refused the message: " + Failures.describe(t) + ")");
        }
        if (t instanceof IllegalArgumentException) {
            return new InvalidMessageException(text);
        }
        return new ConnectionException(text, t);
    }

    /**
     * Whether the request cannot have reached the proxy (gRPC {@code UNAVAILABLE} with a refused or
     * failed connection), so that trying again cannot duplicate anything.
     */
    static boolean neverLeft(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.contains("UNAVAILABLE") && (m.contains("Connection refused") || m.contains("io exception")
                    || m.contains("Network closed") || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }
}
