package io.anymq.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A broker that runs in its own JVM (never inside the test JVM: broker dependency trees clash with
 * the clients, and a separate process can be killed with {@code kill -9}), on a class path that
 * Maven resolves ({@link MavenClasspath}).
 */
abstract class JvmBroker extends LocalBroker {

    protected JvmBroker(BrokerKind kind, BrokerOptions options) {
        super(kind, options);
    }

    /** The java executable of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java <jvmArgs> -cp <classpath> <mainOrSourceFile> <args>} as one of this broker's processes. */
    protected ManagedProcess spawnJava(String name, String classpath, List<String> jvmArgs, String main, List<String> args,
                                       Map<String, String> environment) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(main);
        cmd.addAll(args);
        return spawn(name, cmd, environment);
    }

    /**
     * The JVM arguments of a launcher: the heap, and with TLS the listener's port and the generated key
     * store as system properties ({@code anymq.tls.port}, {@code anymq.tls.keystore},
     * {@code anymq.tls.password}) that the launcher reads.
     */
    protected List<String> tlsJvmArgs(int tlsPort) {
        List<String> a = new ArrayList<>(List.of(heap()));
        if (tls != null) {
            a.add("-Danymq.tls.port=" + tlsPort);
            a.add("-Danymq.tls.keystore=" + tls.keyStore());
            a.add("-Danymq.tls.password=" + tls.storePassword());
        }
        return a;
    }

    /** The launcher's heap option. */
    protected String heap() {
        return "-Xmx256m";
    }

    /** Copies a launcher source (run in Java's source-file mode) from the resources into the data directory. */
    protected Path launcherSource(String fileName) throws IOException {
        Path target = dataDir.resolve(fileName);
        try (InputStream in = JvmBroker.class.getResourceAsStream("/io/anymq/harness/" + fileName)) {
            if (in == null) {
                throw new BrokerException("missing launcher resource " + fileName);
            }
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    /** Whether a log of this broker contains the marker its launcher prints once the broker started. */
    protected boolean logContains(String logName, String marker) throws IOException {
        Path log = dataDir.resolve("logs").resolve(logName + ".log");
        return Files.exists(log) && Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker);
    }
}
