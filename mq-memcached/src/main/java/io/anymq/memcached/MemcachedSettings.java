package io.anymq.memcached;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;
import io.anymq.Names;
import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The module's own options (URL query or config; the {@code memcached.*} ones are xmemcached's, see
 * {@link XMemcachedOptions}).
 *
 * @param itemExpiry      how long a message and its group states live in memcached (0: until evicted or
 *                        the server stops); memcached counts it in whole seconds, at most 30 days
 * @param pollInterval    the longest an idle member waits between two looks at its group
 * @param ackWait         the lease of a delivery when the consumer sets no ack timeout
 * @param lostAfter       how long a taken number may lack its message item (a send under way) before it counts as lost
 * @param eviction        what to do when a server may evict: warn (connect, without AT_LEAST_ONCE) or refuse
 * @param keyPrefix       put before every key
 * @param binary          the binary protocol (forced by credentials: SASL needs it)
 * @param connectTimeout  connecting to each server
 * @param commandTimeout  one command's answer
 * @param deadLetterGroup the group a consumer with a dead-letter topic creates there (null: none)
 */
record MemcachedSettings(Duration itemExpiry, Duration pollInterval, Duration ackWait, Duration lostAfter, Eviction eviction,
                         String keyPrefix, boolean binary, Duration connectTimeout, Duration commandTimeout, String deadLetterGroup) {

    /** Memcached takes a relative expiry up to 30 days; more is read as a Unix time. */
    static final long MAX_EXPIRY_SECONDS = 30L * 24 * 3600;

    enum Eviction { WARN, REFUSE }

    static final ConfigOption<Duration> ITEM_EXPIRY = ConfigOption.durationOption("item-expiry", Duration.ofDays(7),
            "how long a message lives in memcached (its group states a few seconds longer); 0s = no expiry");
    static final ConfigOption<Duration> POLL_INTERVAL = ConfigOption.durationOption("poll-interval", Duration.ofMillis(50),
            "the longest an idle member waits between two looks at its group");
    static final ConfigOption<Duration> ACK_WAIT = ConfigOption.durationOption("ack-wait", Duration.ofSeconds(30),
            "the lease of a delivery when the consumer sets no ackTimeout");
    static final ConfigOption<Duration> LOST_AFTER = ConfigOption.durationOption("lost-after", Duration.ofSeconds(10),
            "how long a number below the tail may lack its message item before it counts as lost");
    static final ConfigOption<String> EVICTION = ConfigOption.stringOption("eviction", "warn", "warn",
            "warn (connect without AT_LEAST_ONCE) or refuse, when a server may evict");
    static final ConfigOption<String> KEY_PREFIX = ConfigOption.stringOption("key-prefix", "mq:", "mq:", "put before every key");
    static final ConfigOption<String> PROTOCOL = ConfigOption.stringOption("protocol", null, "text",
            "text or binary; credentials need (and select) binary");
    static final ConfigOption<String> DEAD_LETTER_GROUP = ConfigOption.stringOption("dead-letter-group", "dead-letters", "dead-letters",
            "the group a consumer with a dead-letter topic creates on that topic; empty for none");
    static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOption.durationOption("connect-timeout", Duration.ofSeconds(2),
            "each server must accept the connection within it");
    static final ConfigOption<Duration> COMMAND_TIMEOUT = ConfigOption.durationOption("command-timeout", Duration.ofSeconds(5),
            "one command's answer");
    /** Every option mq-memcached reads, and the one open namespace, {@code memcached.*} (whose names are checked on their own). */
    static final ConfigOptions OPTIONS = ConfigOptions.of(List.of(ITEM_EXPIRY, POLL_INTERVAL, ACK_WAIT, LOST_AFTER, EVICTION, KEY_PREFIX,
            PROTOCOL, DEAD_LETTER_GROUP, CONNECT_TIMEOUT, COMMAND_TIMEOUT), List.of(XMemcachedOptions.PREFIX));

    static MemcachedSettings from(MessagingConfig config) {
        Duration expiry = ITEM_EXPIRY.get(config);
        if (expiry.isNegative() || expiry.toSeconds() > MAX_EXPIRY_SECONDS || (!expiry.isZero() && expiry.toSeconds() < 1)) {
            throw new ConfigurationException("option 'item-expiry' must be 0 (no expiry) or 1s to 30d (memcached's longest relative expiry): "
                    + expiry);
        }
        Duration poll = positive(config, POLL_INTERVAL);
        if (poll.toMillis() > 1000) {
            throw new ConfigurationException("option 'poll-interval' must be at most 1s: " + poll);
        }
        Duration ackWait = positive(config, ACK_WAIT);
        Duration lostAfter = positive(config, LOST_AFTER);
        String evictionName = EVICTION.get(config).strip().toLowerCase(Locale.ROOT);
        Eviction eviction = switch (evictionName) {
            case "warn" -> Eviction.WARN;
            case "refuse" -> Eviction.REFUSE;
            default -> throw new ConfigurationException("option 'eviction' is '" + evictionName + "'; it takes 'warn' (the default: "
                    + "connect to a server that may evict, without AT_LEAST_ONCE) or 'refuse'");
        };
        String prefix = KEY_PREFIX.get(config);
        if (prefix.length() > 40 || prefix.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new ConfigurationException("option 'key-prefix' must be at most 40 printable ASCII characters without spaces: '"
                    + prefix + "'");
        }
        String protocolGiven = PROTOCOL.get(config);
        String protocol = protocolGiven == null ? "text" : protocolGiven.strip().toLowerCase(Locale.ROOT);
        if (!protocol.equals("text") && !protocol.equals("binary")) {
            throw new ConfigurationException("option 'protocol' is '" + protocol + "'; it takes 'text' (the default) or 'binary'");
        }
        boolean credentials = config.url().user() != null || config.url().password() != null;
        if (credentials && protocol.equals("text") && protocolGiven != null) {
            throw new ConfigurationException("credentials need memcached's binary protocol (SASL); drop protocol=text");
        }
        String deadLetterGroup = DEAD_LETTER_GROUP.get(config).strip();
        if (!deadLetterGroup.isEmpty() && !Names.isValid(deadLetterGroup)) {
            throw new ConfigurationException("option 'dead-letter-group' is not a portable group name: '" + deadLetterGroup + "'");
        }
        return new MemcachedSettings(expiry, poll, ackWait, lostAfter, eviction, prefix, credentials || protocol.equals("binary"),
                positive(config, CONNECT_TIMEOUT), positive(config, COMMAND_TIMEOUT),
                deadLetterGroup.isEmpty() ? null : deadLetterGroup);
    }

    private static Duration positive(MessagingConfig config, ConfigOption<Duration> option) {
        String name = option.name();
        Duration d = option.get(config);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigurationException("option '" + name + "' must be positive: " + d);
        }
        return d;
    }

    /** The expiry memcached is given for messages, in seconds (0: none). */
    int expirySeconds() {
        return (int) itemExpiry.toSeconds();
    }

    /**
     * The expiry of a group's states, in seconds (0: none): a few seconds longer than the messages'. Memcached
     * expires on whole-second ticks, so an item given 1 s may go at once; a state that went before its message could
     * be found missing past {@code lost-after} would be written again and again, and the low mark would wait behind it.
     */
    int stateExpirySeconds() {
        if (itemExpiry.isZero()) {
            return 0;
        }
        long grace = (lostAfter.toMillis() + GroupLog.CLAIM_GRACE_MS + 999) / 1000 + 2;
        return (int) Math.min(MAX_EXPIRY_SECONDS, itemExpiry.toSeconds() + grace);
    }
}
