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
 * @param baseDir  where data directories and logs go (default {@code target/brokers})
 */
public record BrokerOptions(int port, String user, String password, boolean tls, boolean sasl, Path baseDir) {

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

    public static BrokerOptions defaults() {
        return new BrokerOptions(0, null, null, false, false, null);
    }

    public BrokerOptions withPort(int p) {
        return new BrokerOptions(p, user, password, tls, sasl, baseDir);
    }

    public BrokerOptions withUser(String u, String pw) {
        return new BrokerOptions(port, u, pw, tls, sasl, baseDir);
    }

    public BrokerOptions withTls() {
        return new BrokerOptions(port, user, password, true, sasl, baseDir);
    }

    public BrokerOptions withSasl() {
        return new BrokerOptions(port, user, password, tls, true, baseDir);
    }

    public BrokerOptions withBaseDir(Path dir) {
        return new BrokerOptions(port, user, password, tls, sasl, dir);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "BrokerOptions{port=" + port + ", user=" + user + ", password=" + (password == null ? null : "****")
                + ", tls=" + tls + ", sasl=" + sasl + ", baseDir=" + baseDir + "}";
    }
}
