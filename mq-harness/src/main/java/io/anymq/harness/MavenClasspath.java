package io.anymq.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class path of a JVM broker, resolved by Maven from a pom kept as a resource
 * ({@code io/anymq/harness/<broker>-pom.xml}) and cached under {@code ~/.anymq/classpath/<hash>/}
 * (the jars themselves live in {@code ~/.m2} like every other artifact). Maven reaches only Maven
 * Central: a settings file mirrors every repository there, since some brokers' poms name others.
 */
public final class MavenClasspath {
    private static final Logger LOG = LoggerFactory.getLogger(MavenClasspath.class);

    private MavenClasspath() {
    }

    /** The resolved class path for the broker's pom resource. */
    public static synchronized String resolve(String broker) {
        String resource = "/io/anymq/harness/" + broker + "-pom.xml";
        byte[] pom;
        try (InputStream in = MavenClasspath.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BrokerException("no pom resource " + resource);
            }
            pom = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = Path.of(System.getProperty("user.home"), ".anymq", "classpath", broker + "-" + hash(pom));
        Path out = dir.resolve("classpath.txt");
        try {
            if (Files.isRegularFile(out) && allExist(Files.readString(out))) {
                return Files.readString(out).strip();
            }
            Files.createDirectories(dir);
            Files.write(dir.resolve("pom.xml"), pom);
            Files.writeString(dir.resolve("settings.xml"), SETTINGS, StandardCharsets.UTF_8);
            LOG.info("resolving the class path of {} with Maven (first time only)", broker);
            List<String> cmd = new ArrayList<>(List.of(mvn(), "-B", "-q", "-s", dir.resolve("settings.xml").toString(),
                    "-f", dir.resolve("pom.xml").toString(),
                    "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                    "-Dmdep.outputFile=" + out + ".tmp", "-Dmdep.includeScope=runtime"));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("maven.log").toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new BrokerException("Maven could not resolve the class path of " + broker + "; see " + dir.resolve("maven.log")
                        + ":\n" + tail(dir.resolve("maven.log")));
            }
            Files.move(Path.of(out + ".tmp"), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Files.readString(out).strip();
        } catch (IOException e) {
            throw new BrokerException("could not resolve the class path of " + broker + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while resolving the class path of " + broker, e);
        }
    }

    private static boolean allExist(String classpath) {
        for (String entry : classpath.strip().split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && !Files.exists(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    private static String mvn() {
        String home = System.getenv("MAVEN_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String SETTINGS = """
            <settings>
              <mirrors>
                <mirror><id>central-only</id><mirrorOf>*</mirrorOf><url>https://repo.maven.apache.org/maven2</url></mirror>
              </mirrors>
            </settings>
            """;
}
