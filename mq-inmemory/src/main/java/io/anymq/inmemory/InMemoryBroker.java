package io.anymq.inmemory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-memory broker: the topics of one {@code mem:} name in this JVM. Clients that name the same
 * broker share its topics and groups; closing a client does not drop them (groups keep their place
 * while no member is connected, as on a persistent broker), until {@link #drop()} or the JVM ends.
 *
 * <p>{@code MessagingClient.unwrap(InMemoryBroker.class)} gives it, for inspection and {@link #drop()}.
 */
public final class InMemoryBroker {
    static final String DEFAULT_NAME = "default";
    private static final Map<String, InMemoryBroker> BROKERS = new ConcurrentHashMap<>();

    private final String name;
    private final InMemorySettings settings;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    private InMemoryBroker(String name, InMemorySettings settings) {
        this.name = name;
        this.settings = settings;
    }

    /**
     * The broker of this name; made with these settings if it does not exist yet. Its first client fixes its settings: a
     * later client whose configuration sets one of them to another value is refused ({@link InMemorySettings#checkJoinedBy}).
     */
    static InMemoryBroker named(String name, InMemorySettings settings, io.anymq.MessagingConfig config) {
        InMemoryBroker broker = BROKERS.computeIfAbsent(name, n -> new InMemoryBroker(n, settings));
        if (broker.settings != settings) {
            broker.settings.checkJoinedBy(settings, config, name);
        }
        return broker;
    }

    /** The settings its first client fixed. */
    InMemorySettings settings() {
        return settings;
    }

    /**
     * Forgets this broker's name: the next client of the name gets a new, empty broker, and this one (its
     * topics, groups and messages) is released for the garbage collector as soon as no client that uses
     * it is open. Clients still open on it keep working on it until they close. Idempotent.
     */
    public void drop() {
        BROKERS.remove(name, this);
    }

    /**
     * {@link #drop()} of the broker of this name ({@code "default"} is the one of {@code mem:}), without a client.
     *
     * @return whether a broker of that name existed
     */
    public static boolean drop(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return BROKERS.remove(name) != null;
    }

    /** How many named brokers this JVM holds now. */
    static int registered() {
        return BROKERS.size();
    }

    /** Whether a client of this name now gets this broker (false once dropped). */
    public boolean isDropped() {
        return BROKERS.get(name) != this;
    }

    Topic topic(String topicName) {
        return topics.computeIfAbsent(topicName, t -> new Topic(t, settings));
    }

    /** Forgets the topic with its messages and groups; its open consumers keep what they hold, a new producer starts it afresh. */
    void delete(String topicName) {
        Topic gone = topics.remove(topicName);
        if (gone != null) {
            gone.markDeleted();
        }
    }

    public String name() {
        return name;
    }

    /** The topics that exist, sorted. */
    public List<String> topicNames() {
        return topics.keySet().stream().sorted().collect(Collectors.toList());
    }

    /** How many messages the topic retains now (0 when it does not exist). */
    public int retained(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.retained();
    }

    /** How many payload bytes the topic retains now (0 when it does not exist). */
    public long retainedBytes(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.retainedBytes();
    }

    /** How many messages the group has not acked yet: in flight, waiting for redelivery, or not yet delivered. */
    public long backlog(String topic, String group) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.backlog(group);
    }

    /** The capacity of each topic. */
    public int capacity() {
        return settings.capacity();
    }

    /** The payload bytes each topic retains at most (option {@code max-bytes}). */
    public long maxBytes() {
        return settings.maxBytes();
    }

    @Override
    public String toString() {
        return "InMemoryBroker{" + name + ", topics=" + topics.size() + "}";
    }
}
