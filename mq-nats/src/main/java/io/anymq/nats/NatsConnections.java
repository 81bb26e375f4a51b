package io.anymq.nats;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MessagingInterruptedException;
import io.anymq.MqUrl;
import io.anymq.Redaction;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Builds jnats {@code Options} from the configuration and connects, mapping failures onto typed errors. */
final class NatsConnections {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConnections.class);

    private NatsConnections() {
    }

    /** Connects; jnats' connection events go to the state (when given) from the first connection on. */
    static Connection connect(MessagingConfig config, NatsSettings settings, io.anymq.spi.ConnectionState state) {
        Options options = options(config, settings, state);
        String where = Redaction.url(config.url().toString());
        try {
            return Nats.connect(options);
        } catch (io.nats.client.AuthenticationException e) {
            throw new AuthenticationException("NATS at " + where + " refused the credentials: " + e.getMessage(), e);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).toLowerCase().contains("authorization")) {
                throw new AuthenticationException("NATS at " + where + " refused the credentials: " + e.getMessage(), e);
            }
            throw new ConnectionException("cannot connect to NATS at " + where + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw new MessagingInterruptedException("interrupted while connecting to NATS at " + where, e);
        }
    }

    /** The broker as health details name it: the URL without secrets. */
    static String describe(MessagingConfig config) {
        return "NATS at " + Redaction.url(config.url().toString());
    }

    /**
     * Reports jnats' connection events: a disconnection is RECONNECTING (this driver reconnects for
     * ever), a reconnection CONNECTED, a close DISCONNECTED (jnats gave up, or the client closed).
     */
    static io.nats.client.ConnectionListener reporting(io.anymq.spi.ConnectionState state) {
        return (conn, type) -> {
            switch (type) {
                case CONNECTED, RECONNECTED, RESUBSCRIBED -> state.connected();
                case DISCONNECTED -> state.reconnecting("the connection to the server dropped" + lastError(conn));
                case CLOSED -> state.disconnected("the connection is closed" + lastError(conn));
                default -> {
                    // server discovery and lame-duck mode do not change whether the connection works
                }
            }
        };
    }

    private static String lastError(Connection conn) {
        String e = conn == null ? null : conn.getLastError();
        return e == null || e.isBlank() ? "" : " (last error: " + e + ")";
    }

    static Options options(MessagingConfig config, NatsSettings settings, io.anymq.spi.ConnectionState state) {
        Properties natives = new Properties();
        config.withPrefix("nats.").forEach((k, v) -> natives.setProperty("io.nats.client." + k, v));
        Options.Builder b = new Options.Builder();
        MqUrl url = config.url();
        List<String> servers = new ArrayList<>();
        for (MqUrl.HostPort hp : url.requireHosts(4222)) {
            servers.add((settings.tls() ? "tls://" : "nats://") + hp.host() + ":" + hp.port());
        }
        b.servers(servers.toArray(String[]::new));
        if (url.user() != null) {
            b.userInfo(url.user(), url.password() == null ? "" : url.password());
        }
        config.get("token").ifPresent(b::token);
        if (settings.tls()) {
            b.sslContext(sslContext(settings));
        }
        b.connectionTimeout(settings.connectTimeout())
                .maxReconnects(-1) // after the first connection, reconnect for ever: a broker restart is survived
                .reconnectWait(Duration.ofMillis(250))
                .connectionName("anymq")
                .errorListener(new QuietErrorListener());
        if (state != null) {
            b.connectionListener(reporting(state));
        }
        if (!natives.isEmpty()) {
            b.properties(natives); // native settings come last: they override the defaults above
        }
        return b.build();
    }

    private static SSLContext sslContext(NatsSettings settings) {
        return io.anymq.spi.TrustStores.sslContext(settings.trustStore(), settings.trustStorePassword());
    }

    /** jnats' errors go to SLF4J, never with credentials (jnats does not put them in these messages). */
    private static final class QuietErrorListener implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("NATS server error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("NATS connection exception: {}", exp.toString());
        }

        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            LOG.warn("NATS slow consumer: messages were dropped by the client (core NATS is at-most-once)");
        }
    }
}
