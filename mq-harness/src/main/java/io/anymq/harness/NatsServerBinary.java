package io.anymq.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code nats-server} the harness starts: the first of {@link #CANDIDATES} that is at least
 * {@link #MINIMUM}. JetStream on older servers miscounts the redeliveries of pull consumers
 * (nats-io/nats-server#5305, fixed in 2.10.14): a message whose AckWait passed just as the waiting pull
 * request expired comes again with a wrong delivery count, and the anymq suite sees it. Debian 12 has
 * 2.9.10, so {@code scripts/install-brokers.sh} unpacks Debian 13's into {@code /opt/anymq/nats-server}.
 */
public final class NatsServerBinary {
    /** The oldest nats-server the harness starts. */
    public static final String MINIMUM = "2.10.14";
    static final List<Path> CANDIDATES = List.of(Path.of("/opt/anymq/nats-server/usr/sbin/nats-server"), Path.of("/usr/sbin/nats-server"));
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    private static volatile Path found;

    private NatsServerBinary() {
    }

    /** The path of a nats-server of at least {@link #MINIMUM}; a {@link BrokerException} that says what to install if none. */
    public static Path find() {
        Path f = found;
        if (f != null) {
            return f;
        }
        StringBuilder seen = new StringBuilder();
        for (Path candidate : CANDIDATES) {
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            String version = version(candidate);
            if (atLeastMinimum(version)) {
                found = candidate;
                return candidate;
            }
            seen.append(seen.length() == 0 ? "" : ", ").append(candidate).append(" is ").append(version);
        }
        throw new BrokerException("no nats-server " + MINIMUM + " or newer" + (seen.length() == 0 ? "" : " (" + seen + ")")
                + ": older servers miscount JetStream redeliveries (nats-io/nats-server#5305); run scripts/install-brokers.sh as root "
                + "(it unpacks Debian 13's nats-server into /opt/anymq/nats-server)");
    }

    /** Whether a {@code nats-server --version} line names {@link #MINIMUM} or newer. */
    static boolean atLeastMinimum(String versionLine) {
        Matcher have = VERSION.matcher(versionLine);
        Matcher min = VERSION.matcher("v" + MINIMUM);
        if (!have.find() || !min.find()) {
            return false;
        }
        for (int i = 1; i <= 3; i++) {
            int c = Integer.compare(Integer.parseInt(have.group(i)), Integer.parseInt(min.group(i)));
            if (c != 0) {
                return c > 0;
            }
        }
        return true;
    }

    private static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.isEmpty() ? "of unknown version" : out;
        } catch (IOException e) {
            return "not runnable (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "of unknown version (interrupted)";
        }
    }
}
