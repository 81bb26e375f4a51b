package io.anymq.nats;

import io.anymq.ConnectionException;
import io.anymq.ConsumerOptions;
import io.anymq.MessagingException;
import io.anymq.StartPosition;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JetStream objects behind topics and groups: a stream per topic (limits retention, so every
 * durable consumer sees every message: fan-out across groups) and a durable pull consumer with
 * explicit acks per group, created on first use.
 */
final class JetStreamTopics {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JetStreamTopics.class);
    /** The first nats-server that counts the redeliveries of pull consumers right (nats-io/nats-server#5305). */
    static final String REDELIVERY_COUNT_FIXED_IN = "2.10.14";
    private final Connection connection;
    private final NatsSettings settings;
    private final Set<String> knownStreams = ConcurrentHashMap.newKeySet();

    JetStreamTopics(Connection connection, NatsSettings settings) {
        this.connection = connection;
        this.settings = settings;
        var server = connection.getServerInfo();
        if (server != null && server.isOlderThanVersion(REDELIVERY_COUNT_FIXED_IN)) {
            LOG.warn("nats-server {} is older than {}: its JetStream pull consumers may miscount redeliveries (nats-io/nats-server#5305): "
                    + "a message whose AckWait passes as a pull request expires can come again with a wrong delivery count, "
                    + "which max deliveries and dead-lettering rely on; use nats-server {} or newer", server.getVersion(),
                    REDELIVERY_COUNT_FIXED_IN, REDELIVERY_COUNT_FIXED_IN);
        }
    }

    private JetStreamManagement jsm() throws IOException {
        return connection.jetStreamManagement();
    }

    void ensureStream(String topic) {
        String stream = NatsNames.stream(topic);
        if (knownStreams.contains(stream)) {
            return;
        }
        try {
            StreamConfiguration.Builder b = StreamConfiguration.builder()
                    .name(stream)
                    .subjects(NatsNames.subject(topic))
                    .retentionPolicy(RetentionPolicy.Limits)
                    .discardPolicy(DiscardPolicy.Old)
                    .storageType(settings.memoryStorage() ? StorageType.Memory : StorageType.File)
                    .replicas(settings.streamReplicas())
                    .maxMessages(settings.streamMaxMessages())
                    .maxBytes(settings.streamMaxBytes());
            if (!settings.streamMaxAge().isZero()) {
                b.maxAge(settings.streamMaxAge());
            }
            try {
                jsm().getStreamInfo(stream);
            } catch (JetStreamApiException notFound) {
                jsm().addStream(b.build());
            }
            knownStreams.add(stream);
        } catch (JetStreamApiException e) {
            throw new ConnectionException("JetStream refused the stream for topic '" + topic + "': " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConnectionException("cannot reach JetStream to make the stream for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /** Deletes the topic's stream, and with it every durable consumer (group) of it; a stream that does not exist is skipped. */
    void deleteStream(String topic) {
        String stream = NatsNames.stream(topic);
        knownStreams.remove(stream);
        try {
            jsm().deleteStream(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw new ConnectionException("JetStream refused to delete the stream of topic '" + topic + "': " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new ConnectionException("cannot reach JetStream to delete the stream of topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /** JetStream's API error code for "stream not found". */
    private static final int STREAM_NOT_FOUND = 10059;

    /** The group's durable consumer (made at the start position if new) and a pull subscription bound to it. */
    JetStreamSubscription ensureConsumer(ConsumerOptions options) {
        String stream = NatsNames.stream(options.topic());
        String durable = NatsNames.durable(options.group());
        Duration ackWait = options.ackTimeout() != null ? options.ackTimeout() : settings.defaultAckWait();
        try {
            StartPosition start = options.startPosition();
            ConsumerConfiguration config = ConsumerConfiguration.builder()
                    .durable(durable)
                    .filterSubject(NatsNames.subject(options.topic()))
                    .ackPolicy(AckPolicy.Explicit)
                    .ackWait(ackWait)
                    .deliverPolicy(start == StartPosition.EARLIEST ? DeliverPolicy.All
                            : start.isTime() ? DeliverPolicy.ByStartTime : DeliverPolicy.New)
                    .startTime(start.isTime() ? start.time().atZone(ZoneOffset.UTC) : null)
                    .maxDeliver(-1) // the core dead-letters over the maximum: nothing is dropped silently by the server
                    .maxAckPending(Math.max(1000, options.maxInFlight() * 4))
                    .build();
            try {
                jsm().getConsumerInfo(stream, durable);
                jsm().addOrUpdateConsumer(stream, ConsumerConfiguration.builder(config).deliverPolicy(null).startTime(null).build());
            } catch (JetStreamApiException notFoundOrNotUpdatable) {
                try {
                    jsm().addOrUpdateConsumer(stream, config);
                } catch (JetStreamApiException exists) {
                    // it exists with settings that cannot change (its start position): bind to it as it is
                }
            }
            JetStream js = connection.jetStream();
            return js.subscribe(NatsNames.subject(options.topic()), PullSubscribeOptions.bind(stream, durable));
        } catch (JetStreamApiException e) {
            throw new ConnectionException("JetStream refused the consumer of group '" + options.group() + "' on '"
                    + options.topic() + "': " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConnectionException("cannot reach JetStream for group '" + options.group() + "': " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw (MessagingException) new io.anymq.ClosedException("the NATS connection is closed").initCause(e);
        }
    }
}
