package io.anymq.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real broker started as local processes on loopback ports, with its own data directory. The
 * ports and the data directory are fixed at construction, so a restart (after stop or kill) comes
 * back on the same port with the same data. Subclasses write the configuration once
 * ({@link #prepare()}) and start their processes with a real readiness check ({@link #launch()}).
 */
public abstract class LocalBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);
    static final String HOST = "127.0.0.1";

    protected final BrokerKind kind;
    protected final BrokerOptions options;
    protected final int port;
    protected final Path dataDir;
    protected final Map<String, String> nativeProperties = new LinkedHashMap<>();
    private final List<ManagedProcess> processes = new ArrayList<>();
    private boolean prepared;
    private boolean detached;
    protected Tls tls;

    /** The ports this broker uses beside the main one, by role; kept in {@code <data>/ports.properties}. */
    private final java.util.Properties ports = new java.util.Properties();

    protected LocalBroker(BrokerKind kind, BrokerOptions options) {
        this.kind = kind;
        this.options = options;
        if (options.dataDir() != null) {
            // a fixed data directory: the ports a previous start chose (in any JVM) are taken again
            Path fixed = options.dataDir().toAbsolutePath();
            Path saved = fixed.resolve(PORTS_FILE);
            if (Files.exists(saved)) {
                try (var r = Files.newBufferedReader(saved, StandardCharsets.UTF_8)) {
                    ports.load(r);
                } catch (IOException e) {
                    throw new BrokerException(kind.id() + ": cannot read " + saved + ": " + e.getMessage(), e);
                }
            }
            String savedPort = ports.getProperty("port");
            if (savedPort != null && options.port() != 0 && options.port() != Integer.parseInt(savedPort)) {
                throw new BrokerException(kind.id() + ": the data in " + fixed + " belongs to the broker on port " + savedPort
                        + ", not " + options.port() + "; start it without a port, or delete its data first");
            }
            this.port = options.port() != 0 ? options.port() : savedPort != null ? Integer.parseInt(savedPort) : FreePorts.next();
            this.dataDir = fixed;
        } else {
            this.port = options.port() == 0 ? FreePorts.next() : options.port();
            this.dataDir = options.baseDir().resolve(kind.id() + "-" + port).toAbsolutePath();
        }
        ports.setProperty("port", Integer.toString(port));
    }

    static final String PORTS_FILE = "ports.properties";

    /**
     * A port for a role of this broker ({@code "monitor"}, {@code "controller"}, ...): the one saved in the
     * data directory by an earlier start, or a free one. Saved at {@link #start()}, so that a restart, also
     * from another JVM ({@link BrokerHome}), comes back on the same ports.
     */
    protected final int port(String role) {
        return port(role, FreePorts::next);
    }

    /** {@link #port(String)} with another way to choose a fresh port (see {@link FreePorts#nextWithFreeBelow}). */
    protected final int port(String role, java.util.function.IntSupplier fresh) {
        String saved = ports.getProperty("port." + role);
        int p = saved != null ? Integer.parseInt(saved) : fresh.getAsInt();
        ports.setProperty("port." + role, Integer.toString(p));
        return p;
    }

    /** Leaves the processes running when this JVM exits ({@code mq broker start}). Call before {@link #start()}. */
    public LocalBroker detached() {
        this.detached = true;
        return this;
    }

    /** Writes configuration files (once; data is kept across restarts). */
    protected abstract void prepare() throws IOException;

    /** Starts the processes ({@link #spawn}) and waits until the broker answers a real request. */
    protected abstract void launch();

    /** Called after the processes are gone (stop or kill): clean up helpers such as epmd. */
    protected void afterStop() {
    }

    /** A command that cleans up after the processes are gone, for a stop from another JVM ({@code mq broker stop}); or null. */
    public List<String> cleanupCommand() {
        return null;
    }

    /** The ids of every process of this broker, in start order. */
    public synchronized List<Long> pids() {
        return processes.stream().map(ManagedProcess::pid).toList();
    }

    /** Starts the broker unless it runs; on failure stops what started and throws with the log's tail. */
    public final synchronized LocalBroker start() {
        if (isRunning()) {
            return this;
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            if (!prepared) {
                if (options.tls()) {
                    tls = Tls.generate(dataDir.resolve("tls"));
                    nativeProperties.putAll(tls.properties());
                }
                prepare();
                prepared = true;
            }
            try (var w = Files.newBufferedWriter(dataDir.resolve(PORTS_FILE), StandardCharsets.UTF_8)) {
                ports.store(w, kind.id() + ": the ports of this data directory");
            }
            launch();
        } catch (IOException | RuntimeException e) {
            String tail = logTail(40);
            killProcesses();
            throw new BrokerException(kind.id() + " did not start: " + e.getMessage() + "\n--- last lines of " + logFile()
                    + " ---\n" + tail, e);
        }
        LOG.info("{} ready at {} in {} ms (data {})", kind.id(), io.anymq.Redaction.url(url()), (System.nanoTime() - t0) / 1_000_000, dataDir);
        return this;
    }

    /** Starts one process of this broker, logging to {@code <data>/logs/<name>.log}. */
    protected final ManagedProcess spawn(String name, List<String> command, Map<String, String> environment) {
        ManagedProcess p = ManagedProcess.start(kind.id() + "/" + name, command, environment, dataDir,
                dataDir.resolve("logs").resolve(name + ".log"), detached);
        processes.add(p);
        return p;
    }

    protected final List<ManagedProcess> processes() {
        return Collections.unmodifiableList(processes);
    }

    @Override
    public BrokerKind kind() {
        return kind;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Map<String, String> nativeProperties() {
        return Collections.unmodifiableMap(nativeProperties);
    }

    @Override
    public String source() {
        return "local-process";
    }

    @Override
    public synchronized boolean isRunning() {
        return !processes.isEmpty() && processes.stream().allMatch(ManagedProcess::isAlive);
    }

    @Override
    public synchronized void stop() {
        List<ManagedProcess> reversed = new ArrayList<>(processes);
        Collections.reverse(reversed);
        reversed.forEach(p -> p.stop(Duration.ofSeconds(30)));
        processes.clear();
        afterStop();
    }

    @Override
    public synchronized void kill() {
        killProcesses();
    }

    private void killProcesses() {
        processes.forEach(ManagedProcess::kill);
        processes.clear();
        afterStop();
    }

    @Override
    public synchronized void restart() {
        if (!processes.isEmpty()) {
            stop();
        }
        start();
    }

    @Override
    public synchronized long pid() {
        return processes.isEmpty() ? -1 : processes.get(processes.size() - 1).pid();
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path logFile() {
        return dataDir.resolve("logs").resolve(kind.id() + ".log");
    }

    @Override
    public String logTail(int lines) {
        StringBuilder b = new StringBuilder();
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "(no log yet)";
        }
        try (var files = Files.list(logs)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> all = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                b.append("== ").append(f.getFileName()).append('\n');
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toString();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return kind.id() + " at " + url() + " (local process, data " + dataDir + ")";
    }

    /** user:password@ for URLs, or nothing. */
    protected String userInfo() {
        return options.user() == null ? "" : options.user() + ":" + options.password() + "@";
    }

    protected static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static Path requireExecutable(String path, String debianPackage) {
        Path p = Path.of(path);
        if (!Files.isExecutable(p)) {
            throw new BrokerException(path + " is not installed: run scripts/install-brokers.sh as root, or "
                    + "apt-get install " + debianPackage);
        }
        return p;
    }
}
