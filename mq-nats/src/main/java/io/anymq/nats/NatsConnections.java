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

    static Connection connect(MessagingConfig config, NatsSettings settings) {
        Options options = options(config, settings);
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

    static Options options(MessagingConfig config, NatsSettings settings) {
        Properties natives = new Properties();
        config.withPrefix(NatsSettings.NATIVE_PREFIX).forEach((k, v) -> natives.setProperty("io.nats.client." + k, v));
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
        java.util.Optional.ofNullable(NatsSettings.TOKEN.get(config)).ifPresent(b::token);
        if (settings.tls()) {
            b.sslContext(sslContext(settings));
        }
        b.connectionTimeout(settings.connectTimeout())
                .maxReconnects(-1) // after the first connection, reconnect for ever: a broker restart is survived
                .reconnectWait(Duration.ofMillis(250))
                .connectionName("anymq")
                .errorListener(new QuietErrorListener());
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
