package io.anymq.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at test time with openssl and keytool:
 * PEM files for native brokers, and PKCS12 key and trust stores for Java brokers and clients.
 */
public record Tls(Path certPem, Path keyPem, Path keyStore, Path trustStore, String storePassword) {

    static Tls generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path keyStore = dir.resolve("keystore.p12");
        Path trustStore = dir.resolve("truststore.p12");
        String password = "changeit";
        if (!Files.exists(trustStore)) {
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                    "-days", "3", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-addext", "basicConstraints=critical,CA:TRUE"));
            run(List.of("openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-name", "broker",
                    "-out", keyStore.toString(), "-passout", "pass:" + password));
            run(List.of("keytool", "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", trustStore.toString(), "-storepass", password));
        }
        return new Tls(cert, key, keyStore, trustStore, password);
    }

    /** What a client needs: {@code ca.pem}, {@code truststore.path}, {@code truststore.password}. */
    Map<String, String> properties() {
        return Map.of("ca.pem", certPem.toString(), "truststore.path", trustStore.toString(), "truststore.password", storePassword,
                "keystore.path", keyStore.toString());
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
