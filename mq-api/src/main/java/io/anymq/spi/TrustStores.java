package io.anymq.spi;

import io.anymq.ConfigurationException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** The TLS context of a backend's {@code tls.truststore} option, for clients that take an {@link SSLContext}. */
public final class TrustStores {
    private TrustStores() {
    }

    /**
     * A context that trusts the certificates in the store (PKCS12, or JKS when the file name ends in
     * {@code .jks}); the JVM's default context when {@code path} is null.
     *
     * @throws ConfigurationException when the store cannot be read (the message never shows the password)
     */
    public static SSLContext sslContext(String path, String password) {
        try {
            if (path == null) {
                return SSLContext.getDefault();
            }
            KeyStore ts = KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                ts.load(in, password == null ? null : password.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("cannot use the trust store " + path + ": " + e.getMessage());
        }
    }
}
