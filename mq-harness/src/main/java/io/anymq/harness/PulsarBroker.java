package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pulsar 4.0.7 standalone in its own JVM: RocksDB metadata store (no ZooKeeper, nothing listens
 * beyond loopback), a bookie without a fixed port, functions off, the transaction coordinator on. Survives
 * {@code kill -9}: before every start on existing data, {@code PulsarMetadataCleaner} removes the
 * ephemeral nodes the previous (dead) instance left in the metadata store, which otherwise can make
 * the bookie's registration loop at high CPU (see the launcher's comment and this module's README).
 * Optional: authentication for the user ({@code withUser}: every client must log in, the broker's
 * own client too; no authorization), by basic authentication (user and password) or by a JWT token
 * ({@code AuthenticationProviderToken} with an HS256 secret key generated at the first start and kept
 * in the data directory; {@code token} is a token for the user, {@code token.other-key} one for the
 * same user signed with another key, which the broker refuses), and TLS listeners ({@code withTls}: {@code tls.port},
 * {@code tls.serviceUrl}, {@code tls.adminUrl}) beside the plain ones.
 */
final class PulsarBroker extends JvmBroker {
    private static final java.security.SecureRandom SECURE_RANDOM = new java.security.SecureRandom();

    private final int webPort;
    private final int tlsPort;
    private final int webTlsPort;
    private String classpath;
    private Path cleaner;

    PulsarBroker(BrokerOptions options) {
        super(BrokerKind.PULSAR, options);
        this.webPort = port("web");
        this.tlsPort = options.tls() ? port("tls") : -1;
        this.webTlsPort = options.tls() ? port("webTls") : -1;
    }

    @Override
    protected void prepare() throws IOException {
        classpath = MavenClasspath.resolve("pulsar");
        cleaner = launcherSource("PulsarMetadataCleaner.java");
        write(dataDir.resolve("standalone.conf"), String.join("\n",
                "bindAddress=" + HOST, "advertisedAddress=" + HOST, "brokerServicePort=" + port, "webServicePort=" + webPort,
                "clusterName=standalone", "managedLedgerDefaultEnsembleSize=1", "managedLedgerDefaultWriteQuorum=1",
                "managedLedgerDefaultAckQuorum=1", "functionsWorkerEnabled=false", "transactionCoordinatorEnabled=true",
                "systemTopicEnabled=true", "topicLevelPoliciesEnabled=true", "allowAutoTopicCreation=true",
                "allowAutoTopicCreationType=non-partitioned", "brokerDeleteInactiveTopicsEnabled=false",
                "dbStorage_writeCacheMaxSizeMb=32", "dbStorage_readAheadCacheMaxSizeMb=32", "dbStorage_rocksDB_blockCacheSize=16777216",
                "journalMaxSizeMB=256", "delayedDeliveryEnabled=true", "acknowledgmentAtBatchIndexLevelEnabled=true",
                security()));
        nativeProperties.put("serviceUrl", "pulsar://" + HOST + ":" + port);
        nativeProperties.put("adminUrl", "http://" + HOST + ":" + webPort);
    }

    /** The authentication and TLS lines of standalone.conf (none by default). */
    private String security() throws IOException {
        StringBuilder c = new StringBuilder();
        if (options.user() != null) {
            Path users = dataDir.resolve("basic-users.conf");
            write(users, options.user() + ":" + apr1(options.password()) + "\n");
            Path secretKey = dataDir.resolve("token-secret.key");
            byte[] key;
            if (Files.exists(secretKey)) {
                key = Files.readAllBytes(secretKey); // kept: tokens made before a restart stay valid
            } else {
                key = new byte[32];
                SECURE_RANDOM.nextBytes(key);
                Files.write(secretKey, key);
            }
            byte[] otherKey = new byte[32];
            SECURE_RANDOM.nextBytes(otherKey);
            String params = "{\"userId\":\"" + options.user() + "\",\"password\":\"" + options.password() + "\"}";
            c.append("authenticationEnabled=true\n")
                    .append("authenticationProviders=org.apache.pulsar.broker.authentication.AuthenticationProviderBasic,"
                            + "org.apache.pulsar.broker.authentication.AuthenticationProviderToken\n")
                    .append("basicAuthConf=").append(users).append('\n')
                    .append("tokenSecretKey=").append(secretKey.toAbsolutePath().toUri()).append('\n')
                    .append("superUserRoles=").append(options.user()).append('\n')
                    .append("authorizationEnabled=false\n")
                    .append("brokerClientAuthenticationPlugin=org.apache.pulsar.client.impl.auth.AuthenticationBasic\n")
                    .append("brokerClientAuthenticationParameters=").append(params).append('\n');
            nativeProperties.put("user", options.user());
            nativeProperties.put("password", options.password());
            nativeProperties.put("token", hs256Token(options.user(), key));
            nativeProperties.put("token.other-key", hs256Token(options.user(), otherKey));
        }
        if (tls != null) {
            c.append("brokerServicePortTls=").append(tlsPort).append('\n')
                    .append("webServicePortTls=").append(webTlsPort).append('\n')
                    .append("tlsCertificateFilePath=").append(tls.certPem()).append('\n')
                    .append("tlsKeyFilePath=").append(tls.keyPem()).append('\n')
                    .append("tlsTrustCertsFilePath=").append(tls.certPem()).append('\n');
            nativeProperties.put("tls.port", Integer.toString(tlsPort));
            nativeProperties.put("tls.serviceUrl", "pulsar+ssl://" + HOST + ":" + tlsPort);
            nativeProperties.put("tls.adminUrl", "https://" + HOST + ":" + webTlsPort);
        }
        return c.toString();
    }

    /**
     * A JWT for the subject, signed with HS256 and the key, as {@code pulsar tokens create --secret-key}
     * makes it (header {@code {"alg":"HS256"}}, claim {@code sub}, no expiry).
     */
    static String hs256Token(String subject, byte[] key) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((header + "." + claims).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64.encodeToString(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new BrokerException("pulsar: cannot sign a token with HmacSHA256: " + e.getMessage(), e);
        }
    }

    /** The APR1 (Apache MD5) hash of a password, as Pulsar's basic authentication reads it, made with openssl. */
    private static String apr1(String password) throws IOException {
        Process p = new ProcessBuilder("openssl", "passwd", "-apr1", "-stdin").redirectErrorStream(true).start();
        p.getOutputStream().write((password + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.startsWith("$apr1$")) {
                throw new IOException("openssl passwd -apr1 failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    @Override
    protected void launch() {
        if (Files.isDirectory(dataDir.resolve("meta"))) {
            removeStaleEphemeralNodes();
        }
        ManagedProcess p = spawnJava("pulsar", classpath, List.of("-Xmx768m", "-XX:MaxDirectMemorySize=512m",
                        "-Dpulsar.log.level=info", "-Dorg.apache.logging.log4j.level=INFO", "-Djute.maxbuffer=10485760"),
                "org.apache.pulsar.PulsarStandaloneStarter", List.of("--config", dataDir.resolve("standalone.conf").toString(),
                        "--no-functions-worker", "--no-stream-storage", "--metadata-dir", dataDir.resolve("meta").toString(),
                        "--bookkeeper-dir", dataDir.resolve("bk").toString(), "--bookkeeper-port", "0"), Map.of());
        Readiness.await("pulsar on port " + port, Duration.ofSeconds(180),
                this::healthy, p);
    }

    /**
     * The broker's health check answers 200, the namespace {@code public/default} exists and the
     * transaction coordinator's topic {@code pulsar/system/transaction_coordinator_assign} has its
     * partitions (logged in as the user where authentication is on). The standalone creates both only
     * after its broker service is up: the health check alone let a first producer fail with "Namespace
     * not found", and {@code public/default} alone let a first transaction client fail the same way
     * (the system namespace came a moment later).
     */
    private boolean healthy() throws IOException {
        String base = "http://" + HOST + ":" + webPort + "/admin/v2";
        return get(base + "/brokers/health") != null
                && String.valueOf(get(base + "/namespaces/public")).contains("\"public/default\"")
                && String.valueOf(get(base + "/persistent/pulsar/system/transaction_coordinator_assign/partitions"))
                        .matches("(?s).*\"partitions\"\\s*:\\s*[1-9].*");
    }

    /** The body of a 200 answer to a GET, or null. */
    private String get(String url) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        if (options.user() != null) {
            c.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (options.user() + ":" + options.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        try {
            if (c.getResponseCode() != 200) {
                return null;
            }
            try (java.io.InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    /** Runs PulsarMetadataCleaner on the metadata store while no broker holds it (see its comment). */
    private void removeStaleEphemeralNodes() {
        Path log = dataDir.resolve("logs").resolve("pulsar-metadata-clean.log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(java(), "-Xmx128m", "-cp", classpath, cleaner.toString(), dataDir.resolve("meta").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new BrokerException("pulsar: cleaning the metadata store failed, see " + log);
            }
        } catch (IOException e) {
            throw new BrokerException("pulsar: could not clean the metadata store: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while cleaning the pulsar metadata store", e);
        }
    }

    @Override
    public String url() {
        return "pulsar://" + HOST + ":" + port;
    }
}
