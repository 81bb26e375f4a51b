package io.anymq.it.harness;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.anymq.harness.Broker;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.junit.TestBrokers;
import io.anymq.it.HeavyBrokers;
import io.nats.client.AuthenticationException;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The optional settings the backends' tests need: users and passwords, TLS with a generated certificate, Kafka SASL. */
@HeavyBrokers
class BrokerOptionsIT {

    private static SSLContext trusting(Broker broker) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(broker.nativeProperties().get("truststore.path"))) {
            ts.load(in, broker.nativeProperties().get("truststore.password").toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void redisWithAnAclUserAndTls() throws Exception {
        try (Broker redis = TestBrokers.provide(BrokerKind.REDIS, BrokerOptions.defaults().withUser("app", "s3cret").withTls())) {
            assertThat(redis.url()).startsWith("redis://app:s3cret@");
            assertThat(Resp.call(redis, "PING")).isEqualTo("PONG");
            assertThatThrownBy(() -> Resp.call(new WrongPassword(redis), "PING")).hasMessageContaining("WRONGPASS");
            int tlsPort = Integer.parseInt(redis.nativeProperties().get("tls.port"));
            try (SSLSocket s = (SSLSocket) trusting(redis).getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("*3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$6\r\ns3cret\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[64];
                int n = 0;
                while (n < 12) {
                    int r = s.getInputStream().read(buf, n, buf.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n+PONG\r\n");
            }
        }
    }

    @Test
    void natsWithAUser() throws Exception {
        try (Broker nats = TestBrokers.provide(BrokerKind.NATS, BrokerOptions.defaults().withUser("app", "s3cret"))) {
            try (var nc = Nats.connect(Options.builder().server(nats.nativeProperties().get("server")).build())) {
                nc.flush(Duration.ofSeconds(5));
                assertThat(nc.getStatus()).isEqualTo(io.nats.client.Connection.Status.CONNECTED);
            }
            String wrong = "nats://app:wrong@127.0.0.1:" + nats.port();
            assertThatThrownBy(() -> Nats.connect(Options.builder().server(wrong).maxReconnects(0).build()))
                    .isInstanceOfAny(AuthenticationException.class, java.io.IOException.class);
        }
    }

    @Test
    void rabbitMqWithAUserAndTls() throws Exception {
        try (Broker rabbit = TestBrokers.provide(BrokerKind.RABBITMQ, BrokerOptions.defaults().withUser("app", "s3cret").withTls())) {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("127.0.0.1");
            f.setPort(rabbit.port());
            f.setUsername("app");
            f.setPassword("s3cret");
            try (Connection c = f.newConnection()) {
                assertThat(c.isOpen()).isTrue();
            }
            f.setPassword("wrong");
            assertThatThrownBy(f::newConnection).isInstanceOf(AuthenticationFailureException.class);
            f.setPassword("s3cret");
            f.setPort(Integer.parseInt(rabbit.nativeProperties().get("tls.port")));
            f.useSslProtocol(trusting(rabbit));
            try (Connection c = f.newConnection()) {
                assertThat(c.isOpen()).isTrue();
            }
        }
    }

    @Test
    void kafkaWithSaslPlain() throws Exception {
        try (Broker kafka = TestBrokers.provide(BrokerKind.KAFKA, BrokerOptions.defaults().withUser("app", "s3cret").withSasl())) {
            Map<String, Object> good = Map.of("bootstrap.servers", kafka.nativeProperties().get("sasl.bootstrap.servers"),
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"s3cret\";");
            try (Admin admin = Admin.create(good)) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            Map<String, Object> bad = new java.util.HashMap<>(good);
            bad.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"wrong\";");
            try (Admin admin = Admin.create(bad)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
        }
    }

    /** The same broker with a wrong password, for the refusal check. */
    private record WrongPassword(Broker delegate) implements Broker {
        public BrokerKind kind() { return delegate.kind(); }
        public String url() { return delegate.url(); }
        public String host() { return delegate.host(); }
        public int port() { return delegate.port(); }
        public Map<String, String> nativeProperties() { return Map.of("user", "app", "password", "wrong"); }
        public String source() { return delegate.source(); }
        public boolean isRunning() { return delegate.isRunning(); }
        public void stop() { }
        public void kill() { }
        public void restart() { }
        public long pid() { return delegate.pid(); }
        public java.nio.file.Path dataDir() { return delegate.dataDir(); }
        public java.nio.file.Path logFile() { return delegate.logFile(); }
        public String logTail(int lines) { return delegate.logTail(lines); }
        public void close() { }
    }
}
