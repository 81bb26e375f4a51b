package io.anymq.harness;

import java.nio.file.Path;

/**
 * Optional settings of a broker the harness starts.
 *
 * @param port     the main port; 0 picks a free loopback port
 * @param user     a user to create and require, or null for the broker's default access
 * @param password that user's password
 * @param tls      also listen with TLS, with a certificate generated now (see {@link Broker#nativeProperties()})
 * @param sasl     Kafka only: a SASL/PLAIN listener for the user
 * @param baseDir  where data directories and logs go (default {@code target/brokers}); each broker gets
 *                 {@code <baseDir>/<kind>-<port>}
 * @param dataDir  a fixed data directory instead ({@code mq broker}: {@code ~/.anymq/brokers/<kind>}), or null.
 *                 The broker keeps the ports it chose in {@code ports.properties} there, so that another
 *                 JVM can start it again on the same ports with the same data ({@link BrokerHome})
 * @param advertisedPort Kafka and RocketMQ only: the port clients are told to connect to instead of {@code port}
 *                 (a {@link TcpProxy} listening there and forwarding to {@code port} then carries every client
 *                 connection, not only the bootstrap); 0 for {@code port}. Kafka: its plaintext listener advertises
 *                 it. RocketMQ: the proxy runs in cluster mode and its routes name the endpoint the client asked
 *                 through ({@link RocketMqBroker})
 * @param noScheduler ActiveMQ Classic only: run without {@code schedulerSupport}, as a packaged broker's
 *                 {@code activemq.xml} does by default (the harness' broker has it on): delayed messages are not held
 */
public record BrokerOptions(int port, String user, String password, boolean tls, boolean sasl, Path baseDir, Path dataDir,
                            int advertisedPort, boolean noScheduler) {

    public BrokerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (advertisedPort < 0 || advertisedPort > 65535) {
            throw new IllegalArgumentException("advertised port out of range: " + advertisedPort);
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("give both a user and a password, or neither");
        }
        if (baseDir == null) {
            baseDir = Path.of("target", "brokers");
        }
    }

    /** Without a fixed data directory (the form before {@code dataDir} existed). */
    public BrokerOptions(int port, String user, String password, boolean tls, boolean sasl, Path baseDir) {
        this(port, user, password, tls, sasl, baseDir, null, 0, false);
    }

    /** Without an advertised port (the form before {@code advertisedPort} existed). */
    public BrokerOptions(int port, String user, String password, boolean tls, boolean sasl, Path baseDir, Path dataDir) {
        this(port, user, password, tls, sasl, baseDir, dataDir, 0, false);
    }

    /** Without the scheduler choice (the form before {@code noScheduler} existed). */
    public BrokerOptions(int port, String user, String password, boolean tls, boolean sasl, Path baseDir, Path dataDir, int advertisedPort) {
        this(port, user, password, tls, sasl, baseDir, dataDir, advertisedPort, false);
    }

    public static BrokerOptions defaults() {
        return new BrokerOptions(0, null, null, false, false, null, null, 0, false);
    }

    public BrokerOptions withPort(int p) {
        return new BrokerOptions(p, user, password, tls, sasl, baseDir, dataDir, advertisedPort, noScheduler);
    }

    public BrokerOptions withUser(String u, String pw) {
        return new BrokerOptions(port, u, pw, tls, sasl, baseDir, dataDir, advertisedPort, noScheduler);
    }

    public BrokerOptions withTls() {
        return new BrokerOptions(port, user, password, true, sasl, baseDir, dataDir, advertisedPort, noScheduler);
    }

    public BrokerOptions withSasl() {
        return new BrokerOptions(port, user, password, tls, true, baseDir, dataDir, advertisedPort, noScheduler);
    }

    public BrokerOptions withBaseDir(Path dir) {
        return new BrokerOptions(port, user, password, tls, sasl, dir, dataDir, advertisedPort, noScheduler);
    }

    /** A fixed data directory, kept across JVMs with the broker's ports ({@code mq broker}). */
    public BrokerOptions withDataDir(Path dir) {
        return new BrokerOptions(port, user, password, tls, sasl, baseDir, dir, advertisedPort, noScheduler);
    }

    /** Kafka and RocketMQ only: the port clients are told to connect to (see {@link #advertisedPort()}). */
    public BrokerOptions withAdvertisedPort(int p) {
        return new BrokerOptions(port, user, password, tls, sasl, baseDir, dataDir, p, noScheduler);
    }

    /** ActiveMQ Classic only: a broker without {@code schedulerSupport} (see {@link #noScheduler()}). */
    public BrokerOptions withoutScheduler() {
        return new BrokerOptions(port, user, password, tls, sasl, baseDir, dataDir, advertisedPort, true);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "BrokerOptions{port=" + port + ", user=" + user + ", password=" + (password == null ? null : "****")
                + ", tls=" + tls + ", sasl=" + sasl + ", baseDir=" + baseDir + (dataDir == null ? "" : ", dataDir=" + dataDir)
                + (advertisedPort == 0 ? "" : ", advertisedPort=" + advertisedPort) + (noScheduler ? ", noScheduler" : "") + "}";
    }
}
