package io.anymq.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Named local brokers that outlive the JVM that started them ({@code mq broker}): one per kind, its data
 * in {@code <home>/<kind>/} (with the ports it chose, {@code ports.properties}) and its state in
 * {@code <home>/<kind>.properties}. Data is kept across {@link #stop stop}, {@link #kill kill}, a crash
 * and {@link #restart restart}, until {@code stop(kind, true)} deletes it; a restart, also from another
 * JVM, comes back on the same ports with the same data.
 *
 * <p>Processes are recorded with their start time, so a process id that the system gave to another
 * process since is never signalled.
 */
public final class BrokerHome {
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Path home;

    public BrokerHome(Path home) {
        this.home = home.toAbsolutePath();
    }

    public Path home() {
        return home;
    }

    /** Where the broker of this kind keeps its data. */
    public Path dataDir(BrokerKind kind) {
        return home.resolve(kind.id());
    }

    Path stateFile(BrokerKind kind) {
        return home.resolve(kind.id() + ".properties");
    }

    /** One recorded process: its id and start time (epoch millis, -1 if unknown). */
    public record Proc(long pid, long startMillis) {
        static Proc of(ProcessHandle h) {
            return new Proc(h.pid(), h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
        }

        static Proc parse(String s) {
            int at = s.indexOf('@');
            return at < 0 ? new Proc(Long.parseLong(s), -1) : new Proc(Long.parseLong(s.substring(0, at)), Long.parseLong(s.substring(at + 1)));
        }

        /** The live process, only if it is still the one recorded (same start time). */
        public Optional<ProcessHandle> handle() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> startMillis < 0 || h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == startMillis);
        }

        public boolean alive() {
            return handle().isPresent();
        }

        @Override
        public String toString() {
            return pid + "@" + startMillis;
        }
    }

    /**
     * A broker of this home as recorded: its URL, the process that serves (what {@link #kill} ends first and
     * what {@code mq broker list} shows), every process of it, its data directory and native properties.
     */
    public record Entry(BrokerKind kind, String url, int port, Proc serving, List<Proc> processes, Path dataDir,
                        Map<String, String> nativeProperties) {
        public Entry {
            processes = List.copyOf(processes);
            nativeProperties = Collections.unmodifiableMap(new LinkedHashMap<>(nativeProperties));
        }

        /** The URL to hand to a user: see {@link Broker#clientUrl()}. */
        public String clientUrl() {
            return Broker.clientUrl(kind, url, nativeProperties);
        }

        /**
         * {@code running} (every process alive), {@code stopped} (stopped with {@link BrokerHome#stop}) or
         * {@code dead} (killed, or crashed: some or all of its processes gone; restart brings it back).
         */
        public String state() {
            if (processes.isEmpty()) {
                return "stopped";
            }
            return serving.alive() && processes.stream().allMatch(Proc::alive) ? "running" : "dead";
        }

        public boolean running() {
            return state().equals("running");
        }

        /** Never shows credentials: the native properties are left out. */
        @Override
        public String toString() {
            return kind.id() + " " + state() + " at " + io.anymq.Redaction.url(url) + " (pid " + serving.pid() + ", data " + dataDir + ")";
        }
    }

    /** The recorded broker of this kind, if it was started here and not deleted. */
    public Optional<Entry> entry(BrokerKind kind) {
        Path f = stateFile(kind);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (p.getProperty("procs") == null || p.getProperty("dataDir") == null) {
            // written by an older mq broker (data under <kind>-<port>, no process start times): not ours to manage
            throw new BrokerException(f + " was written by an older mq broker: stop that broker by its pid (" + p.getProperty("pids")
                    + ") and delete " + f);
        }
        List<Proc> procs = Arrays.stream(p.getProperty("procs", "").split(",")).filter(s -> !s.isBlank()).map(Proc::parse).toList();
        Map<String, String> nat = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("native.")).sorted()
                .forEach(k -> nat.put(k.substring("native.".length()), p.getProperty(k)));
        String serving = p.getProperty("serving", "");
        return Optional.of(new Entry(kind, p.getProperty("url"), Integer.parseInt(p.getProperty("port")),
                serving.isBlank() ? new Proc(-1, -1) : Proc.parse(serving), procs, Path.of(p.getProperty("dataDir")), nat));
    }

    /** Every recorded broker, by kind. */
    public List<Entry> list() {
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        List<Entry> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(home)) {
            for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".properties")).sorted().toList()) {
                String id = f.getFileName().toString().replace(".properties", "");
                BrokerKind kind;
                try {
                    kind = BrokerKind.of(id);
                } catch (IllegalArgumentException notOurs) {
                    continue;
                }
                try {
                    entry(kind).ifPresent(all::add);
                } catch (BrokerException olderFormat) {
                    // a state file of an older mq broker: entry(kind) explains it to whoever names that broker
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /**
     * Starts the broker: on its kept data and ports when it ran before (after a stop, a kill or a crash),
     * else new ({@code port} 0: a free one). Refused while it runs. Leftovers of a crash (a helper such as
     * RabbitMQ's epmd, or RocketMQ's name server when only the proxy died) are stopped first.
     */
    public synchronized Entry start(BrokerKind kind, int port) {
        Optional<Entry> existing = entry(kind);
        if (existing.isPresent()) {
            Entry e = existing.get();
            if (e.running()) {
                throw new BrokerException(kind.id() + " already runs at " + io.anymq.Redaction.url(e.url()) + " (pid "
                        + e.serving().pid() + ")");
            }
            if (port != 0 && port != e.port()) {
                throw new BrokerException(kind.id() + " keeps its data (" + e.dataDir() + ") for port " + e.port()
                        + ": start it without --port, or delete it first (stop --delete)");
            }
            stopProcesses(e);
        }
        LocalBroker broker = Brokers.local(kind, BrokerOptions.defaults().withPort(port).withDataDir(dataDir(kind))).detached();
        broker.start();
        return record(kind, broker);
    }

    /** Stops the broker gracefully if anything of it runs, and starts it again on the same ports with the same data. */
    public synchronized Entry restart(BrokerKind kind) {
        Entry e = entry(kind).orElseThrow(() -> new BrokerException("no " + kind.id() + " broker to restart: start it first"));
        stopProcesses(e);
        record(e, List.of());
        return start(kind, 0);
    }

    /**
     * {@code kill -9} of the broker: SIGKILL to the process that serves first (with its children), then to
     * every other process of the broker (helpers such as RabbitMQ's epmd, RocketMQ's name server), so that
     * nothing of it is left. The data stays for {@link #restart}.
     */
    public synchronized Entry kill(BrokerKind kind) {
        Entry e = entry(kind).orElseThrow(() -> new BrokerException("no " + kind.id() + " broker was started here"));
        List<ProcessHandle> victims = new ArrayList<>();
        e.serving().handle().ifPresent(h -> addTree(h, victims));
        e.processes().forEach(p -> p.handle().ifPresent(h -> addTree(h, victims)));
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : victims) {
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception notYet) {
                throw new BrokerException(kind.id() + ": pid " + h.pid() + " did not end within 10 s of SIGKILL");
            }
        }
        return e;
    }

    /** Stops the broker gracefully (SIGTERM, SIGKILL after 30 s); keeps its data, or deletes it too. */
    public synchronized void stop(BrokerKind kind, boolean delete) {
        Optional<Entry> existing = entry(kind);
        if (existing.isPresent()) {
            Entry e = existing.get();
            stopProcesses(e);
            if (!delete) {
                record(e, List.of());
                return;
            }
        } else if (!delete) {
            throw new BrokerException("no " + kind.id() + " broker was started here");
        }
        try {
            deleteTree(dataDir(kind));
            Files.deleteIfExists(stateFile(kind));
        } catch (IOException ex) {
            throw new BrokerException(kind.id() + ": could not delete " + dataDir(kind) + ": " + ex.getMessage(), ex);
        }
    }

    private static void stopProcesses(Entry e) {
        List<Proc> reversed = new ArrayList<>(e.processes());
        Collections.reverse(reversed);
        for (Proc p : reversed) {
            p.handle().ifPresent(h -> ManagedProcess.stopTree(h, GRACE));
        }
        e.serving().handle().ifPresent(h -> ManagedProcess.stopTree(h, GRACE));
    }

    private static void addTree(ProcessHandle root, List<ProcessHandle> into) {
        if (!into.contains(root)) {
            into.add(root);
        }
        root.descendants().filter(d -> !into.contains(d)).forEach(into::add);
    }

    private Entry record(BrokerKind kind, LocalBroker broker) {
        List<Proc> procs = broker.processes().stream().map(m -> ProcessHandle.of(m.pid()))
                .flatMap(Optional::stream).map(Proc::of).toList();
        Proc serving = ProcessHandle.of(broker.pid()).map(Proc::of).orElse(new Proc(broker.pid(), -1));
        Entry e = new Entry(kind, broker.url(), broker.port(), serving, procs, broker.dataDir(), broker.nativeProperties());
        write(e);
        return e;
    }

    private void record(Entry e, List<Proc> processes) {
        write(new Entry(e.kind(), e.url(), e.port(), processes.isEmpty() ? new Proc(-1, -1) : e.serving(), processes, e.dataDir(),
                e.nativeProperties()));
    }

    private void write(Entry e) {
        Properties p = new Properties();
        p.setProperty("kind", e.kind().id());
        p.setProperty("url", e.url());
        p.setProperty("port", Integer.toString(e.port()));
        p.setProperty("serving", e.serving().pid() < 0 ? "" : e.serving().toString());
        p.setProperty("procs", String.join(",", e.processes().stream().map(Proc::toString).toList()));
        p.setProperty("dataDir", e.dataDir().toString());
        e.nativeProperties().forEach((k, v) -> p.setProperty("native." + k, v));
        try {
            Files.createDirectories(home);
            Path tmp = home.resolve(e.kind().id() + ".properties.tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "mq broker: " + e.kind().id());
            }
            Files.move(tmp, stateFile(e.kind()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
