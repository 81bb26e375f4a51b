package io.anymq.harness;

import java.nio.file.Path;
import java.util.Map;

/**
 * A running broker: its anymq URL, what a native client needs, and (for brokers the harness
 * started) the operations fault tests use: graceful stop, {@code kill -9}, restart on the same port
 * with the same data.
 */
public interface Broker extends AutoCloseable {
    BrokerKind kind();

    /** The anymq URL, such as {@code kafka://127.0.0.1:40123}. */
    String url();

    /**
     * The URL to hand to a user ({@code mq broker start}, {@code mq bench --broker}): {@link #url()} with the
     * options the client needs beyond the address to use every feature of this broker. Pulsar:
     * {@code admin-url} (partitioned topics, {@code StartPosition.at}, the lag gauge), since the harness's web
     * port is not the client's default 8080.
     */
    default String clientUrl() {
        return clientUrl(kind(), url(), nativeProperties());
    }

    /** {@link #clientUrl()} from the parts a {@link BrokerHome.Entry} keeps. */
    static String clientUrl(BrokerKind kind, String url, Map<String, String> nativeProperties) {
        String adminUrl = nativeProperties.get("adminUrl");
        if (kind == BrokerKind.PULSAR && adminUrl != null && !url.contains("admin-url=")) {
            return url + (url.contains("?") ? "&" : "?") + "admin-url=" + adminUrl;
        }
        return url;
    }

    String host();

    int port();

    /**
     * What a native client needs: for example {@code bootstrap.servers}, {@code user}, {@code password},
     * {@code serviceUrl}, {@code adminUrl}, {@code namesrvAddr}, and with TLS {@code tls.port},
     * {@code truststore.path}, {@code truststore.password}, {@code ca.pem}.
     */
    Map<String, String> nativeProperties();

    /** {@code environment}, {@code testcontainers} or {@code local-process}. */
    String source();

    boolean isRunning();

    /** Graceful stop (SIGTERM, then wait); only for brokers this harness started. */
    void stop();

    /** {@code kill -9}; only for brokers this harness started. */
    void kill();

    /** Starts again on the same ports with the same data (stops first if running). */
    void restart();

    /** The main process id, or -1. */
    long pid();

    Path dataDir();

    Path logFile();

    /** The last lines of the broker's log. */
    String logTail(int lines);

    /** Stops and releases; idempotent. */
    @Override
    void close();
}
