package io.anymq.harness;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An operating-system process the harness started: output appended to a log file, stopped by its
 * id (SIGTERM, then SIGKILL after a grace period) together with its descendants, and killed on JVM
 * exit by a shutdown hook, so no test leaves an orphan behind. A detached process (for
 * {@code mq broker start}) is left running on JVM exit.
 */
public final class ManagedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ManagedProcess p : RUNNING) {
                if (!p.detached) {
                    p.kill();
                }
            }
        }, "mq-harness-cleanup"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final boolean detached;

    private ManagedProcess(String name, Process process, Path log, boolean detached) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.detached = detached;
    }

    /** Starts the command with the extra environment, appending its output to the log. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path workDir,
                                       Path log, boolean detached) {
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(workDir);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(environment);
            Process p = pb.start();
            ManagedProcess mp = new ManagedProcess(name, p, log, detached);
            RUNNING.add(mp);
            LOG.info("started {} (pid {}), log {}", name, p.pid(), log);
            return mp;
        } catch (IOException e) {
            throw new BrokerException("could not start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM to the process and its descendants; SIGKILL to whatever is left after the grace period. */
    public void stop(Duration grace) {
        stopTree(process.toHandle(), grace);
        reap();
    }

    /**
     * SIGTERM to a process and its descendants, then SIGKILL to whatever is left after the grace
     * period. Also for processes another JVM started ({@code mq broker stop}).
     */
    public static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        root.descendants().forEach(tree::add);
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                LOG.warn("pid {} did not stop within {}; killing it", h.pid(), grace);
                h.destroyForcibly();
            }
        }
    }

    /** {@code kill -9} of the process and its descendants. */
    public void kill() {
        tree().forEach(ProcessHandle::destroyForcibly);
        reap();
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        process.toHandle().descendants().forEach(all::add);
        all.add(process.toHandle());
        return all;
    }

    private void reap() {
        try {
            process.waitFor(30, TimeUnit.SECONDS); // our own child: wait, so no zombie is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!process.isAlive()) {
            RUNNING.remove(this);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + (isAlive() ? "" : ", exited") + ")";
    }
}
