package io.anymq.pulsar;

import io.anymq.AuthenticationException;
import io.anymq.ConfigurationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingException;
import io.anymq.MessagingInterruptedException;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.PulsarClientSharedResources;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Builds the native client and proves, within the connect timeout, that the broker answers. */
final class PulsarConnections {
    /** A topic name that is only looked up, never created (metadata auto-creation off). */
    private static final String PROBE_TOPIC = "anymq-connect-probe";

    private PulsarConnections() {
    }

    static PulsarConnection connect(PulsarSettings settings) {
        PulsarClientSharedResources ioThreads = ioThreads(settings);
        PulsarClient client;
        try {
            client = build(settings, ioThreads);
        } catch (RuntimeException e) {
            PulsarConnection.endIoThreads(ioThreads);
            throw e;
        }
        try {
            probe(client, settings);
            return new PulsarConnection(client, ioThreads);
        } catch (RuntimeException e) {
            client.closeAsync().whenComplete((v, t) -> PulsarConnection.endIoThreads(ioThreads));
            throw e;
        }
    }

    /**
     * The client's IO threads (its Netty event loop), made here so that the client's close does not wait for their
     * graceful end ({@link PulsarConnection}): as many as pulsar-client would make ({@code numIoThreads}, by default one per
     * processor), busy-waiting if {@code enableBusyWait} says so, daemon threads if the connecting thread is one.
     */
    private static PulsarClientSharedResources ioThreads(PulsarSettings settings) {
        Map<String, Object> given = settings.nativeOptions().client();
        int ioThreads = ioThreadCount(given);
        boolean busyWait = given.containsKey("enableBusyWait") && Boolean.parseBoolean(String.valueOf(given.get("enableBusyWait")).trim());
        boolean daemon = Thread.currentThread().isDaemon();
        return PulsarClientSharedResources.builder()
                .resourceTypes(PulsarClientSharedResources.SharedResource.EventLoopGroup)
                .configureEventLoop(c -> c.name("pulsar-client-io").numberOfThreads(ioThreads).daemon(daemon).enableBusyWait(busyWait))
                .build();
    }

    /** {@code pulsar.client.numIoThreads} if given (a whole number of at least 1), else pulsar-client's default: one per processor. */
    private static int ioThreadCount(Map<String, Object> given) {
        if (!given.containsKey("numIoThreads")) {
            return Runtime.getRuntime().availableProcessors();
        }
        String text = String.valueOf(given.get("numIoThreads")).trim();
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new ConfigurationException("option 'pulsar.client.numIoThreads' must be a whole number of at least 1: '" + text + "'");
        }
        return n;
    }

    /** Pulsar's basic authentication ({@code AuthenticationBasic}) with the URL's user and password. */
    private static org.apache.pulsar.client.api.Authentication basic(PulsarSettings.Credentials c) {
        String params = "{\"userId\":\"" + json(c.user()) + "\",\"password\":\"" + json(c.password()) + "\"}";
        try {
            return AuthenticationFactory.create("org.apache.pulsar.client.impl.auth.AuthenticationBasic", params);
        } catch (PulsarClientException.UnsupportedAuthenticationException e) {
            throw new ConfigurationException("pulsar-client has no basic authentication: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static PulsarClient build(PulsarSettings settings, PulsarClientSharedResources ioThreads) {
        ClientBuilder b = PulsarClient.builder()
                .serviceUrl(settings.serviceUrl())
                .sharedResources(ioThreads)
                .connectionTimeout((int) settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .operationTimeout((int) settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .lookupTimeout((int) settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // reconnect within seconds of a broker's return (the default backoff grows to 60 s; after a
                // 30 s restart it waited 12 s more, and the sends in flight ran out their send timeout)
                .maxBackoffInterval(5, TimeUnit.SECONDS);
        settings.token().ifPresent(token -> b.authentication(AuthenticationFactory.token(token)));
        settings.basic().ifPresent(c -> b.authentication(basic(c)));
        settings.trustStore().ifPresent(path -> {
            String lower = path.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".pem") || lower.endsWith(".crt") || lower.endsWith(".cer")) {
                b.tlsTrustCertsFilePath(path);
            } else {
                b.useKeyStoreTls(true).tlsTrustStorePath(path).tlsTrustStoreType(lower.endsWith(".jks") ? "JKS" : "PKCS12");
                settings.trustStorePassword().ifPresent(b::tlsTrustStorePassword);
            }
        });
        if (settings.transactions()) {
            b.enableTransaction(true);
        }
        if (!settings.nativeOptions().client().isEmpty()) {
            b.loadConf(settings.nativeOptions().client());
        }
        try {
            return b.build();
        } catch (PulsarClientException | RuntimeException e) {
            if (settings.transactions()) {
                throw new ConfigurationException("Pulsar at " + settings.serviceUrl() + " did not start a transaction client (option "
                        + "'transactions=true' needs transactionCoordinatorEnabled=true on the broker): " + PulsarErrors.describe(e), e);
            }
            throw new ConfigurationException("Pulsar refused the client settings for " + settings.serviceUrl() + ": "
                    + PulsarErrors.describe(e), e);
        }
    }

    /**
     * Looks up a topic's partitions (a lookup of a non-partitioned name creates nothing): reaching the
     * broker and the credentials are checked by that one request. (A missing tenant or namespace is
     * not: it is refused when a producer or consumer is made.)
     */
    private static void probe(PulsarClient client, PulsarSettings settings) {
        String where = settings.serviceUrl();
        long timeoutMs = settings.connectTimeout().toMillis();
        try {
            client.getPartitionsForTopic(settings.topicName(PROBE_TOPIC), true).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingInterruptedException("interrupted while connecting to Pulsar at " + where, e);
        } catch (TimeoutException e) {
            throw new ConnectionException("cannot reach Pulsar at " + where + " within " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            Throwable t = PulsarErrors.unwrap(e);
            if (t instanceof PulsarClientException.TopicDoesNotExistException) {
                return; // the broker answered: the probe topic does not exist, as expected
            }
            MessagingException m = PulsarErrors.map(t, "Pulsar at " + where);
            if (m instanceof AuthenticationException) {
                throw new AuthenticationException("Pulsar at " + where + " refused the credentials: " + PulsarErrors.describe(t), t);
            }
            if (t instanceof PulsarClientException.NotFoundException || t instanceof PulsarClientException.AuthorizationException) {
                throw new ConfigurationException("Pulsar at " + where + " has no namespace " + settings.tenant() + "/" + settings.namespace()
                        + " (options tenant and namespace): " + PulsarErrors.describe(t), t);
            }
            throw new ConnectionException("cannot reach Pulsar at " + where + ": " + PulsarErrors.describe(t), t);
        }
    }
}
