package io.anymq.it.jms;

import io.anymq.harness.MavenClasspath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain HornetQ 2.4.7 JMS client ({@code HornetQLegacyClient.java}, javax.jms), run in a JVM of
 * its own: its Netty 4.0 and javax.jms must not meet the test class path's Netty 4.2 and Jakarta JMS.
 */
final class LegacyHornetQClient {
    private final String classpath;
    private final Path source;

    LegacyHornetQClient() throws IOException {
        classpath = MavenClasspath.resolve("hornetq-client");
        source = Files.createTempDirectory("hornetq-legacy").resolve("HornetQLegacyClient.java");
        try (InputStream in = LegacyHornetQClient.class.getResourceAsStream("HornetQLegacyClient.java")) {
            Files.write(source, in.readAllBytes());
        }
    }

    /** Runs the client to its end; returns its output lines. */
    List<String> run(String... args) throws Exception {
        Process p = start(args);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("legacy client output: %s", lines).isZero();
        return lines;
    }

    /** Starts the client; its output (stdout and stderr) is the process's input stream. */
    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, source.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads lines until one starts with the prefix; returns it (or fails with what came before). */
    static String readUntil(BufferedReader out, String... prefixes) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            for (String p : prefixes) {
                if (line.startsWith(p)) {
                    return line;
                }
            }
            lines.add(line);
        }
        throw new AssertionError("the legacy client ended without " + List.of(prefixes) + "; its output: " + lines);
    }
}
