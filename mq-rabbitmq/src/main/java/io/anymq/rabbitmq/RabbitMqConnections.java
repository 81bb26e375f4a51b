package io.anymq.rabbitmq;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ConnectionFactoryConfigurator;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryRetryHandlerBuilder;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryRetryLogic;
import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MessagingInterruptedException;
import io.anymq.MqUrl;
import io.anymq.Redaction;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/** Builds the amqp-client {@link ConnectionFactory} from the configuration and connects, mapping failures onto typed errors. */
final class RabbitMqConnections {
    static final int DEFAULT_PORT = 5672;
    static final int DEFAULT_TLS_PORT = 5671;
    static final String NATIVE_PREFIX = "rabbitmq.";

    private RabbitMqConnections() {
    }

    /** The factory and the connection made with it. */
    record Connected(ConnectionFactory factory, Connection connection) {
    }

    static Connected connect(MessagingConfig config, RabbitMqSettings settings) {
        ConnectionFactory cf = factory(config, settings);
        List<Address> addresses = addresses(config.url(), settings);
        String where = Redaction.url(config.url().toString());
        try {
            Connection c = cf.newConnection(addresses, "anymq");
            return new Connected(cf, c);
        } catch (AuthenticationFailureException e) {
            throw new AuthenticationException("RabbitMQ at " + where + " refused the credentials of user '" + cf.getUsername()
                    + "': " + e.getMessage(), e);
        } catch (IOException e) {
            throw connectFailure(where, cf, e);
        } catch (TimeoutException e) {
            throw new ConnectionException("cannot connect to RabbitMQ at " + where + ": no answer within "
                    + settings.connectTimeout() + " (" + e.getMessage() + ")", e);
        }
    }

    private static RuntimeException connectFailure(String where, ConnectionFactory cf, IOException e) {
        ShutdownSignalException sse = find(e, ShutdownSignalException.class);
        if (sse != null && sse.getReason() instanceof com.rabbitmq.client.AMQP.Connection.Close close
                && (close.getReplyCode() == 530 || close.getReplyCode() == 403)) {
            // NOT_ALLOWED: no access to the virtual host; ACCESS_REFUSED: permissions
            return new AuthenticationException("RabbitMQ at " + where + " refused user '" + cf.getUsername() + "' access to virtual host '"
                    + cf.getVirtualHost() + "': " + close.getReplyText(), e);
        }
        if (find(e, java.io.InterruptedIOException.class) != null && Thread.currentThread().isInterrupted()) {
            return new MessagingInterruptedException("interrupted while connecting to RabbitMQ at " + where, new InterruptedException(e.getMessage()));
        }
        SSLException ssl = find(e, SSLException.class);
        if (ssl != null) {
            return new ConnectionException("TLS handshake with RabbitMQ at " + where + " failed: " + ssl.getMessage(), e);
        }
        return new ConnectionException("cannot connect to RabbitMQ at " + where + ": " + describe(e), e);
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && b.indexOf(m) < 0) {
                b.append(b.length() > 0 ? ": " : "").append(m);
            } else if (m == null && b.length() == 0) {
                b.append(t.getClass().getSimpleName());
            }
        }
        return b.toString();
    }

    static List<Address> addresses(MqUrl url, RabbitMqSettings settings) {
        int defaultPort = settings.tls() ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        List<Address> out = new ArrayList<>();
        for (MqUrl.HostPort hp : url.requireHosts(defaultPort)) {
            out.add(new Address(hp.host(), hp.port()));
        }
        return out;
    }

    /** The virtual host of a URL: its path, percent-decoded ({@code /} when empty; {@code %2F} is {@code /}). */
    static String virtualHost(MqUrl url) {
        String path = url.path();
        return path.isEmpty() ? "/" : path;
    }

    static ConnectionFactory factory(MessagingConfig config, RabbitMqSettings settings) {
        if (!config.url().isHierarchical()) {
            throw new ConfigurationException("a RabbitMQ URL looks like amqp://user:password@host:5672/vhost, not '"
                    + Redaction.url(config.url().toString()) + "'");
        }
        ConnectionFactory cf = new ConnectionFactory();
        MqUrl url = config.url();
        if (url.user() != null) {
            cf.setUsername(url.user());
        }
        if (url.password() != null) {
            cf.setPassword(url.password());
        }
        cf.setVirtualHost(virtualHost(url));
        cf.setConnectionTimeout((int) settings.connectTimeout().toMillis());
        cf.setHandshakeTimeout((int) settings.handshakeTimeout().toMillis());
        cf.setChannelRpcTimeout((int) settings.rpcTimeout().toMillis());
        cf.setShutdownTimeout(5_000);
        cf.setRequestedHeartbeat(15);
        cf.setAutomaticRecoveryEnabled(true);
        cf.setTopologyRecoveryEnabled(true);
        cf.setNetworkRecoveryInterval(settings.recoveryInterval().toMillis());
        // after a broker restart a quorum queue may need a moment for its leader: keep trying to recover it
        cf.setTopologyRecoveryRetryHandler(retryHandler());
        cf.setMaxInboundMessageBodySize((int) Math.min(Integer.MAX_VALUE, Math.max(64L * 1024 * 1024, settings.maxPayload() + 1024 * 1024)));
        Map<String, Object> props = new HashMap<>(cf.getClientProperties());
        props.put("connection_name", "anymq");
        props.put("product", "anymq (amqp-client)");
        cf.setClientProperties(props);
        if (settings.tls()) {
            if (!settings.tlsVerify() && settings.trustStore() == null) {
                try {
                    cf.useSslProtocol(); // trusts any certificate: only for tls.verify=false
                } catch (GeneralSecurityException e) {
                    throw new ConfigurationException("TLS is not available in this JVM: " + e.getMessage());
                }
            } else {
                cf.useSslProtocol(sslContext(settings));
            }
            if (settings.tlsVerify()) {
                cf.enableHostnameVerification();
            }
        }
        Map<String, String> natives = config.withPrefix(NATIVE_PREFIX);
        if (!natives.isEmpty()) {
            Set<String> known = knownNativeKeys();
            Map<String, String> prefixed = new HashMap<>();
            natives.forEach((k, v) -> {
                if (!known.contains(k) && !k.startsWith(ConnectionFactoryConfigurator.CLIENT_PROPERTIES_PREFIX)) {
                    throw new ConfigurationException("option '" + NATIVE_PREFIX + k + "' is not a ConnectionFactory setting; known: " + known
                            + " and " + ConnectionFactoryConfigurator.CLIENT_PROPERTIES_PREFIX + "*");
                }
                prefixed.put(NATIVE_PREFIX + k, v);
            });
            try {
                cf.load(prefixed, NATIVE_PREFIX); // native settings come last: they override the defaults above
            } catch (RuntimeException e) {
                throw new ConfigurationException("a '" + NATIVE_PREFIX + "*' option was refused by amqp-client: " + e.getMessage());
            }
        }
        return cf;
    }

    /** The keys {@link ConnectionFactoryConfigurator} understands, without the prefix. */
    static Set<String> knownNativeKeys() {
        Set<String> keys = new TreeSet<>();
        for (Field f : ConnectionFactoryConfigurator.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("DEFAULT_PREFIX")
                    && !f.getName().equals("CLIENT_PROPERTIES_PREFIX")) {
                try {
                    keys.add((String) f.get(null));
                } catch (IllegalAccessException ignored) {
                    // not readable: not offered
                }
            }
        }
        return keys;
    }

    private static com.rabbitmq.client.impl.recovery.RetryHandler retryHandler() {
        return TopologyRecoveryRetryHandlerBuilder.builder()
                .queueRecoveryRetryCondition((queue, e) -> true)
                .bindingRecoveryRetryCondition((binding, e) -> true)
                .consumerRecoveryRetryCondition((consumer, e) -> true)
                .queueRecoveryRetryOperation(TopologyRecoveryRetryLogic.RECOVER_CHANNEL.andThen(TopologyRecoveryRetryLogic.RECOVER_QUEUE))
                .bindingRecoveryRetryOperation(TopologyRecoveryRetryLogic.RECOVER_CHANNEL.andThen(TopologyRecoveryRetryLogic.RECOVER_BINDING))
                .consumerRecoveryRetryOperation(TopologyRecoveryRetryLogic.RECOVER_CHANNEL
                        .andThen(TopologyRecoveryRetryLogic.RECOVER_CONSUMER_QUEUE)
                        .andThen(TopologyRecoveryRetryLogic.RECOVER_CONSUMER))
                .retryAttempts(30)
                .backoffPolicy(attempt -> Thread.sleep(Math.min(2000, 200L * attempt)))
                .build();
    }

    private static SSLContext sslContext(RabbitMqSettings settings) {
        return io.anymq.spi.TrustStores.sslContext(settings.trustStore(), settings.trustStorePassword());
    }
}
