package io.anymq.bridge;

import io.anymq.StartPosition;

import java.time.Duration;

/** Everything a {@link Bridge} was built with; immutable and checked by {@link Bridge.Builder#build()}. */
record Settings(Endpoint source, String sourceTopic, String group, StartPosition startPosition,
                Endpoint destination, String destinationTopic, Endpoint deadLetter, String deadLetterTopic,
                int concurrency, int maxInFlight, boolean untilEmpty, Duration idleTimeout, Backoff backoff,
                Duration sendTimeout, Duration closeTimeout, Duration progressInterval, BridgeListener listener) {
}
