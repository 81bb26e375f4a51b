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
 */
public record BrokerOptions(int port, String user, String password, boolean tls, boolean sasl, Path baseDir, Path dataDir) {

    public BrokerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
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
        this(port, user, password, tls, sasl, baseDir, null);
    }

    public static BrokerOptions defaults() {
        return new BrokerOptions(0, null, null, false, false, null, null);
    }

    public BrokerOptions withPort(int p) {
        return new BrokerOptions(p, user, password, tls, sasl, baseDir, dataDir);
    }

    public BrokerOptions withUser(String u, String pw) {
        return new BrokerOptions(port, u, pw, tls, sasl, baseDir, dataDir);
    }

    public BrokerOptions withTls() {
        return new BrokerOptions(port, user, password, true, sasl, baseDir, dataDir);
    }

    public BrokerOptions withSasl() {
        return new BrokerOptions(port, user, password, tls, true, baseDir, dataDir);
    }

    public BrokerOptions withBaseDir(Path dir) {
        return new BrokerOptions(port, user, password, tls, sasl, dir, dataDir);
    }

    /** A fixed data directory, kept across JVMs with the broker's ports ({@code mq broker}). */
    public BrokerOptions withDataDir(Path dir) {
        return new BrokerOptions(port, user, password, tls, sasl, baseDir, dir);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "BrokerOptions{port=" + port + ", user=" + user + ", password=" + (password == null ? null : "****")
                + ", tls=" + tls + ", sasl=" + sasl + ", baseDir=" + baseDir + (dataDir == null ? "" : ", dataDir=" + dataDir) + "}";
    }
}
