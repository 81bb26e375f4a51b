package io.anymq.kafka;

import io.anymq.AuthenticationException;
import io.anymq.ConnectionException;
import io.anymq.MessagingConfig;
import io.anymq.MqUrl;
import io.anymq.Redaction;
import io.anymq.spi.Failures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The settings every native client of one connection shares, and the connect-time check. */
final class KafkaConnections {
    private KafkaConnections() {
    }

    /** The common native config: servers, security, and the {@code kafka.*} pass-through (last, so it wins). */
    static Map<String, Object> common(MessagingConfig config, KafkaSettings settings) {
        MqUrl url = config.url();
        StringJoiner servers = new StringJoiner(",");
        for (MqUrl.HostPort hp : url.requireHosts(9092)) {
            servers.add(hp.host() + ":" + hp.port());
        }
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", servers.toString());
        c.put("client.dns.lookup", "use_all_dns_ips");
        if (url.password() != null) {
            String user = url.user() == null ? "" : url.user();
            c.put("security.protocol", settings.tls() ? "SASL_SSL" : "SASL_PLAINTEXT");
            c.put("sasl.mechanism", settings.saslMechanism());
            String module = settings.saslMechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            c.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user) + "\" password=\"" + jaasEscape(url.password()) + "\";");
        } else if (settings.tls()) {
            c.put("security.protocol", "SSL");
        }
        String truststore = KafkaSettings.TRUSTSTORE.get(config);
        if (truststore != null) {
            c.put("ssl.truststore.location", truststore);
            c.put("ssl.truststore.type", truststore.endsWith(".jks") ? "JKS" : "PKCS12");
            String password = KafkaSettings.TRUSTSTORE_PASSWORD.get(config);
            if (password != null) {
                c.put("ssl.truststore.password", password);
            }
        }
        c.putAll(settings.nativeConfig());
        return c;
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** An admin client that has reached the cluster, or a typed error saying why not. */
    static Admin connect(MessagingConfig config, KafkaSettings settings, Map<String, Object> common) {
        Map<String, Object> c = new HashMap<>(common);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
        c.putIfAbsent("request.timeout.ms", timeoutMs);
        c.putIfAbsent("default.api.timeout.ms", Math.max(timeoutMs, 15_000));
        c.putIfAbsent("client.id", "anymq-admin");
        String where = Redaction.url(config.url().toString());
        Admin admin;
        try {
            admin = Admin.create(c);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new io.anymq.ConfigurationException("Kafka refused the client settings for " + where + ": " + Failures.describe(e), e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
            return admin;
        } catch (InterruptedException e) {
            admin.close();
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted while connecting to Kafka at " + where, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            admin.close(java.time.Duration.ZERO);
            Throwable t = Failures.unwrap(e);
            if (t instanceof org.apache.kafka.common.errors.AuthenticationException) {
                throw new AuthenticationException("Kafka at " + where + " refused the credentials: " + Failures.describe(t), t);
            }
            throw new ConnectionException("cannot reach Kafka at " + where + " within " + settings.connectTimeout().toMillis()
                    + " ms: " + Failures.describe(t), t);
        }
    }
}
