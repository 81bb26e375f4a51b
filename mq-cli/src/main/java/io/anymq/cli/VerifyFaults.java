package io.anymq.cli;

import io.anymq.harness.BrokerHome;
import io.anymq.harness.BrokerKind;
import io.anymq.tck.BrokerFaults;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The fault hooks of {@code mq verify --faults}: a broker of {@code mq broker start}, or a program the user gives. */
final class VerifyFaults {
    private VerifyFaults() {
    }

    /**
     * {@code --faults NAME} (a broker started with {@code mq broker start NAME}, whose port the URL must name) or
     * {@code --faults 'cmd:PROGRAM ARGS'} (called with {@code restart}, {@code kill} or {@code cut SECONDS}).
     */
    static BrokerFaults of(String spec, String url, List<String> kinds) {
        if (spec.startsWith("cmd:")) {
            List<String> program = Arrays.stream(spec.substring(4).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            if (program.isEmpty()) {
                throw new Main.UsageError("--faults cmd: needs a program, such as --faults 'cmd:./faults.sh'");
            }
            return BrokerFaults.command(program, faults(kinds, EnumSet.allOf(BrokerFaults.Fault.class)), Duration.ofMinutes(5));
        }
        BrokerKind kind = BrokerCommand.kind(spec);
        BrokerHome.Entry entry = BrokerCommand.requireEntry(kind);
        if (!url.contains(":" + entry.port())) {
            throw new Main.UsageError("--faults " + kind.id() + " would restart the broker on port " + entry.port()
                    + ", but the URL does not name that port: verify restarts only the broker it verifies");
        }
        Set<BrokerFaults.Fault> supported = faults(kinds, EnumSet.of(BrokerFaults.Fault.RESTART, BrokerFaults.Fault.KILL));
        if (supported.contains(BrokerFaults.Fault.CUT_CONNECTIONS)) {
            throw new Main.UsageError("a broker of mq broker start cannot have its connections cut: give a program (--faults 'cmd:...') for that");
        }
        return new HomeBroker(kind, supported);
    }

    private static Set<BrokerFaults.Fault> faults(List<String> kinds, Set<BrokerFaults.Fault> all) {
        if (kinds.isEmpty()) {
            return all;
        }
        Set<BrokerFaults.Fault> chosen = EnumSet.noneOf(BrokerFaults.Fault.class);
        for (String k : kinds) {
            switch (k.trim().toLowerCase(Locale.ROOT)) {
                case "restart" -> chosen.add(BrokerFaults.Fault.RESTART);
                case "kill" -> chosen.add(BrokerFaults.Fault.KILL);
                case "cut" -> chosen.add(BrokerFaults.Fault.CUT_CONNECTIONS);
                default -> throw new Main.UsageError("--fault-kinds takes restart, kill and cut: " + k);
            }
        }
        return chosen;
    }

    /** A broker of {@code mq broker start}: restarted and killed as {@code mq broker restart|kill} do. */
    private record HomeBroker(BrokerKind kind, Set<Fault> supported) implements BrokerFaults {
        @Override
        public void restart() {
            BrokerCommand.brokers().restart(kind);
        }

        @Override
        public void killAndRestart() {
            BrokerCommand.brokers().kill(kind);
            BrokerCommand.brokers().restart(kind);
        }

        @Override
        public String toString() {
            return "the " + kind.id() + " broker of mq broker start " + supported;
        }
    }
}
