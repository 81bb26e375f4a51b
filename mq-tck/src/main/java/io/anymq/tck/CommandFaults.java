package io.anymq.tck;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@link BrokerFaults#command}: each fault is one run of a program, which exits 0 when the broker is back. */
final class CommandFaults implements BrokerFaults {
    private final List<String> program;
    private final Set<Fault> supported;
    private final Duration timeout;

    CommandFaults(List<String> program, Set<Fault> supported, Duration timeout) {
        if (program.isEmpty()) {
            throw new IllegalArgumentException("the fault program is empty");
        }
        this.program = List.copyOf(program);
        this.supported = supported.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supported));
        this.timeout = timeout;
    }

    @Override
    public Set<Fault> supported() {
        return supported;
    }

    @Override
    public void restart() {
        run(Fault.RESTART, "restart");
    }

    @Override
    public void killAndRestart() {
        run(Fault.KILL, "kill");
    }

    @Override
    public void cutConnections(Duration outage) {
        run(Fault.CUT_CONNECTIONS, "cut", Long.toString(Math.max(1, (outage.toMillis() + 999) / 1000)));
    }

    private void run(Fault fault, String... args) {
        if (!supported.contains(fault)) {
            throw new UnsupportedOperationException(this + " is not declared to cause " + fault);
        }
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the fault program " + String.join(" ", command) + " did not end within " + timeout);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the fault program " + String.join(" ", command) + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run the fault program " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the fault program ran: " + String.join(" ", command), e);
        }
    }

    @Override
    public String toString() {
        return "BrokerFaults.command(" + String.join(" ", program) + ", " + supported + ")";
    }
}
