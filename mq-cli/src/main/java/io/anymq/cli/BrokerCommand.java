package io.anymq.cli;

import io.anymq.harness.BrokerKind;
import io.anymq.harness.BrokerOptions;
import io.anymq.harness.Brokers;
import io.anymq.harness.LocalBroker;
import io.anymq.harness.ManagedProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code mq broker start|stop|list|logs}: real brokers for people, started by the same harness the
 * tests use, detached from this command, with their state under {@code ~/.anymq/brokers/}.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start, stop, list and read the logs of local brokers (redis, memcached, nats, rabbitmq, kafka, activemq, artemis, rocketmq, pulsar, hornetq).",
        subcommands = {BrokerCommand.Start.class, BrokerCommand.Stop.class, BrokerCommand.ListBrokers.class, BrokerCommand.Logs.class})
final class BrokerCommand {

    static Path home() {
        return Path.of(System.getProperty("mq.broker.home", System.getProperty("user.home") + "/.anymq/brokers"));
    }

    static Path stateFile(String name) {
        return home().resolve(name + ".properties");
    }

    static Optional<Properties> state(String name) throws IOException {
        Path f = stateFile(name);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return Optional.of(p);
    }

    static Properties requireState(String id) throws IOException {
        return state(id).orElseThrow(() -> new Main.UsageError("no broker named " + id + " was started with mq broker start"));
    }

    static List<Long> pids(Properties state) {
        return Arrays.stream(state.getProperty("pids", "").split(",")).filter(s -> !s.isBlank()).map(Long::parseLong).toList();
    }

    static boolean alive(Properties state) {
        return !pids(state).isEmpty() && pids(state).stream().allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a broker in the background; prints its anymq URL last.")
    static final class Start implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "redis, memcached, nats, rabbitmq, kafka, activemq, artemis, rocketmq, pulsar or hornetq")
        String name;

        @Option(names = "--port", description = "the main port (default: a free one)")
        int port;

        @Override
        public Integer call() throws IOException {
            BrokerKind kind;
            try {
                kind = BrokerKind.of(name);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError(e.getMessage());
            }
            Optional<Properties> existing = state(kind.id());
            if (existing.isPresent() && alive(existing.get())) {
                throw new Main.UsageError(kind.id() + " already runs at " + existing.get().getProperty("url") + " (pid "
                        + existing.get().getProperty("pid") + "); stop it first: mq broker stop " + kind.id());
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("starting " + kind.id() + "...");
            err.flush();
            LocalBroker broker = Brokers.local(kind, BrokerOptions.defaults().withPort(port).withBaseDir(home())).detached();
            broker.start();
            Properties p = new Properties();
            p.setProperty("kind", kind.id());
            p.setProperty("url", broker.url());
            p.setProperty("pid", Long.toString(broker.pid()));
            p.setProperty("pids", String.join(",", broker.pids().stream().map(String::valueOf).toList()));
            p.setProperty("dataDir", broker.dataDir().toString());
            if (broker.cleanupCommand() != null) {
                p.setProperty("cleanup", String.join("\u001f", broker.cleanupCommand()));
            }
            broker.nativeProperties().forEach((k, v) -> p.setProperty("native." + k, v));
            Files.createDirectories(home());
            try (Writer w = Files.newBufferedWriter(stateFile(kind.id()), StandardCharsets.UTF_8)) {
                p.store(w, "mq broker start " + kind.id());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(kind.id() + " runs (pid " + broker.pid() + ", data " + broker.dataDir() + ")");
            out.println(broker.url());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a broker started by mq broker start (SIGTERM, then SIGKILL).")
    static final class Stop implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            String id = BrokerKind.of(name).id();
            Properties p = requireState(id);
            List<Long> pids = new ArrayList<>(pids(p));
            java.util.Collections.reverse(pids);
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(h -> ManagedProcess.stopTree(h, java.time.Duration.ofSeconds(30)));
            }
            String cleanup = p.getProperty("cleanup");
            if (cleanup != null) {
                new ProcessBuilder(cleanup.split("\u001f")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(10, TimeUnit.SECONDS);
            }
            Files.delete(stateFile(id));
            spec.commandLine().getOut().println(id + " stopped (data kept in " + p.getProperty("dataDir") + ")");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The brokers started with mq broker start: URL, pid, data directory, memory.")
    static final class ListBrokers implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.isDirectory(home())) {
                out.println("no brokers started");
                return 0;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(home())) {
                files = s.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
            }
            if (files.isEmpty()) {
                out.println("no brokers started");
                return 0;
            }
            out.printf("%-10s %-8s %-40s %-8s %10s  %s%n", "NAME", "STATE", "URL", "PID", "MEMORY", "DATA");
            for (Path f : files) {
                String name = f.getFileName().toString().replace(".properties", "");
                Properties p = state(name).orElseThrow();
                long rssKb = pids(p).stream().flatMap(pid -> ProcessHandle.of(pid).stream())
                        .flatMap(h -> Stream.concat(Stream.of(h), h.descendants())).mapToLong(h -> rssKb(h.pid())).sum();
                out.printf("%-10s %-8s %-40s %-8s %7d MB  %s%n", name, alive(p) ? "running" : "dead", p.getProperty("url"),
                        p.getProperty("pid"), rssKb / 1024, p.getProperty("dataDir"));
            }
            return 0;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "The last lines of a broker's logs.")
    static final class Logs implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-n", "--lines"}, description = "lines per log (default: ${DEFAULT-VALUE})")
        int lines = 50;

        @Override
        public Integer call() throws IOException {
            String id = BrokerKind.of(name).id();
            Properties p = requireState(id);
            Path logs = Path.of(p.getProperty("dataDir")).resolve("logs");
            PrintWriter out = spec.commandLine().getOut();
            try (Stream<Path> s = Files.list(logs)) {
                for (Path f : s.sorted().toList()) {
                    List<String> all = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                    out.println("== " + f);
                    all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
                }
            }
            return 0;
        }
    }

    /** Resident memory of a process in KiB, from /proc; 0 when it is gone. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
