package io.anymq.cli;

import io.anymq.harness.BrokerException;
import io.anymq.harness.BrokerHome;
import io.anymq.harness.BrokerKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code mq broker start|restart|kill|stop|list|logs}: real brokers for people, started by the same harness
 * the tests use, detached from this command, with their data and state under {@code ~/.anymq/brokers/}
 * ({@link BrokerHome}). A broker keeps its port and its data across stop, kill, a crash and restart,
 * until {@code stop --delete}.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start, restart, kill, stop, list and read the logs of local brokers (redis, memcached, nats, rabbitmq, kafka, activemq, artemis, rocketmq, pulsar, hornetq). Each keeps its port and data until stop --delete.",
        subcommands = {BrokerCommand.Start.class, BrokerCommand.Restart.class, BrokerCommand.Kill.class, BrokerCommand.Stop.class,
                BrokerCommand.ListBrokers.class, BrokerCommand.Logs.class})
final class BrokerCommand {

    static Path home() {
        return Path.of(System.getProperty("mq.broker.home", System.getProperty("user.home") + "/.anymq/brokers"));
    }

    static BrokerHome brokers() {
        return new BrokerHome(home());
    }

    static BrokerKind kind(String name) {
        try {
            return BrokerKind.of(name);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    static BrokerHome.Entry requireEntry(BrokerKind kind) {
        try {
            return brokers().entry(kind).orElseThrow(() -> new Main.UsageError("no broker named " + kind.id() + " was started with mq broker start"));
        } catch (BrokerException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    static void printStarted(CommandSpec spec, BrokerHome.Entry e) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(e.kind().id() + " runs (pid " + e.serving().pid() + ", port " + e.port() + ", data " + e.dataDir() + ")");
        out.println(e.clientUrl());
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a broker in the background; prints its anymq URL last. A broker that ran before (stopped, killed or crashed) comes back on its port with its data.")
    static final class Start implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "redis, memcached, nats, rabbitmq, kafka, activemq, artemis, rocketmq, pulsar or hornetq")
        String name;

        @Option(names = "--port", description = "the main port of a new broker (default: a free one)")
        int port;

        @Override
        public Integer call() {
            BrokerKind kind = kind(name);
            Optional<BrokerHome.Entry> existing = brokers().entry(kind);
            if (existing.isPresent() && existing.get().running()) {
                throw new Main.UsageError(kind.id() + " already runs at " + existing.get().url() + " (pid "
                        + existing.get().serving().pid() + "); restart it with: mq broker restart " + kind.id());
            }
            if (existing.isPresent() && port != 0 && port != existing.get().port()) {
                throw new Main.UsageError(kind.id() + " keeps its data (" + existing.get().dataDir() + ") for port " + existing.get().port()
                        + ": start it without --port, or delete it first: mq broker stop --delete " + kind.id());
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println(existing.isPresent() ? "starting " + kind.id() + " again on port " + existing.get().port() + " with its data..."
                    : "starting " + kind.id() + "...");
            err.flush();
            printStarted(spec, brokers().start(kind, port));
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Stop a broker gracefully if it runs (or what is left of it after a kill or crash) and start it again on the same port with the same data.")
    static final class Restart implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            BrokerKind kind = kind(name);
            BrokerHome.Entry e = requireEntry(kind);
            spec.commandLine().getErr().println("restarting " + kind.id() + " (" + e.state() + ") on port " + e.port() + "...");
            spec.commandLine().getErr().flush();
            printStarted(spec, brokers().restart(kind));
            return 0;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "kill -9 a broker: SIGKILL to the process that serves, then to its helpers (RabbitMQ's epmd, RocketMQ's name server). Its data stays for restart.")
    static final class Kill implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            BrokerKind kind = kind(name);
            requireEntry(kind);
            BrokerHome.Entry e = brokers().kill(kind);
            spec.commandLine().getOut().println(kind.id() + " killed (pid " + e.serving().pid() + "; data kept in " + e.dataDir()
                    + "; mq broker restart " + kind.id() + " brings it back)");
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a broker started by mq broker start (SIGTERM, then SIGKILL after 30 s). Its port and data are kept for start/restart, unless --delete.")
    static final class Stop implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--delete", description = "also delete its data (and forget its port)")
        boolean delete;

        @Override
        public Integer call() {
            BrokerKind kind = kind(name);
            if (!delete) {
                requireEntry(kind);
            }
            brokers().stop(kind, delete);
            spec.commandLine().getOut().println(kind.id() + " stopped" + (delete ? "; its data is deleted (" + brokers().dataDir(kind) + ")"
                    : " (data kept in " + brokers().dataDir(kind) + "; mq broker start " + kind.id() + " brings it back, stop --delete deletes it)"));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The brokers started with mq broker start: state, URL, the pid of the process that serves, memory, data directory.")
    static final class ListBrokers implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<BrokerHome.Entry> all = brokers().list();
            if (all.isEmpty()) {
                out.println("no brokers started");
                return 0;
            }
            out.printf("%-10s %-8s %-40s %-8s %10s  %s%n", "NAME", "STATE", "URL", "PID", "MEMORY", "DATA");
            for (BrokerHome.Entry e : all) {
                long rssKb = e.processes().stream().flatMap(p -> p.handle().stream())
                        .flatMap(h -> Stream.concat(Stream.of(h), h.descendants())).mapToLong(h -> rssKb(h.pid())).sum();
                String state = e.state();
                out.printf("%-10s %-8s %-40s %-8s %7d MB  %s%n", e.kind().id(), state, e.url(),
                        state.equals("running") ? Long.toString(e.serving().pid()) : "-", rssKb / 1024, e.dataDir());
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
            BrokerHome.Entry e = requireEntry(kind(name));
            Path logs = e.dataDir().resolve("logs");
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
