package io.anymq.cli;

import io.anymq.harness.BrokerHome;
import io.anymq.harness.BrokerKind;
import io.anymq.harness.TcpProxy;
import io.anymq.tck.BrokerFaults;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fault hooks of {@code mq verify --faults}: a broker of {@code mq broker start}, or a program the user gives. */
final class VerifyFaults {
    private VerifyFaults() {
    }

    /** Kinds whose clients connect to addresses the broker tells them (Kafka's advertised listener, Pulsar's lookup, RocketMQ's routes). */
    private static final Set<BrokerKind> TELL_OTHER_ADDRESSES = EnumSet.of(BrokerKind.KAFKA, BrokerKind.PULSAR, BrokerKind.ROCKETMQ);

    /**
     * {@code --faults NAME} (a broker started with {@code mq broker start NAME}, whose port the URL must name),
     * {@code --faults proxy:NAME} (the same broker behind a {@link TcpProxy} that can also cut every connection;
     * the scenarios then connect to the proxy) or {@code --faults 'cmd:PROGRAM ARGS'} (called with
     * {@code restart}, {@code kill} or {@code cut SECONDS}).
     */
    static BrokerFaults of(String spec, String url, List<String> kinds) {
        if (spec.startsWith("cmd:")) {
            List<String> program = Arrays.stream(spec.substring(4).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            if (program.isEmpty()) {
                throw new Main.UsageError("--faults cmd: needs a program, such as --faults 'cmd:./faults.sh'");
            }
            return BrokerFaults.command(program, faults(kinds, EnumSet.allOf(BrokerFaults.Fault.class)), Duration.ofMinutes(5));
        }
        boolean proxied = spec.startsWith("proxy:");
        BrokerKind kind = BrokerCommand.kind(proxied ? spec.substring(6) : spec);
        if (proxied && TELL_OTHER_ADDRESSES.contains(kind)) {
            throw new Main.UsageError("--faults proxy:" + kind.id() + ": " + kind.id() + " tells its clients other addresses to connect to,"
                    + " so their connections would not pass the proxy; give a program (--faults 'cmd:...') to cut them");
        }
        BrokerHome.Entry entry = BrokerCommand.requireEntry(kind);
        Matcher hostPort = Pattern.compile("([^/@,\\[\\]]+|\\[[^\\]]+\\]):" + entry.port() + "(?=[/?,]|$)").matcher(url);
        if (!hostPort.find()) {
            throw new Main.UsageError("--faults " + spec + " would restart the broker on port " + entry.port()
                    + ", but the URL does not name that port: verify restarts only the broker it verifies");
        }
        if (!proxied) {
            Set<BrokerFaults.Fault> supported = faults(kinds, EnumSet.of(BrokerFaults.Fault.RESTART, BrokerFaults.Fault.KILL));
            if (supported.contains(BrokerFaults.Fault.CUT_CONNECTIONS)) {
                throw new Main.UsageError("cutting connections needs the broker behind a proxy: --faults proxy:" + kind.id()
                        + " (or a program: --faults 'cmd:...')");
            }
            return new HomeBroker(kind, supported);
        }
        Set<BrokerFaults.Fault> supported = faults(kinds, EnumSet.allOf(BrokerFaults.Fault.class));
        TcpProxy proxy = TcpProxy.to(hostPort.group(1).replace("[", "").replace("]", ""), entry.port());
        String proxiedUrl = url.substring(0, hostPort.start()) + proxy.host() + ":" + proxy.port() + url.substring(hostPort.end());
        return new ProxiedBroker(new HomeBroker(kind, supported), proxy, proxiedUrl);
    }

    /** The URL the scenarios connect to: the proxy's for {@code proxy:NAME}, else the one given. */
    static String urlFor(BrokerFaults hook, String url) {
        return hook instanceof ProxiedBroker p ? p.url() : url;
    }

    /** Stops a hook's proxy, if it has one. */
    static void close(BrokerFaults hook) {
        if (hook instanceof ProxiedBroker p) {
            p.proxy().close();
        }
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

    /**
     * A broker of {@code mq broker start} behind a {@link TcpProxy} on a loopback port: restarted and killed as
     * {@link HomeBroker} does (the proxy forwards to the same port afterwards), connections cut by the proxy.
     */
    private record ProxiedBroker(HomeBroker broker, TcpProxy proxy, String url) implements BrokerFaults {
        @Override
        public Set<Fault> supported() {
            return broker.supported();
        }

        @Override
        public void restart() {
            broker.restart();
        }

        @Override
        public void killAndRestart() {
            broker.killAndRestart();
        }

        @Override
        public void cutConnections(Duration outage) {
            proxy.cut(outage);
        }

        @Override
        public String toString() {
            return "the " + broker.kind().id() + " broker of mq broker start behind " + proxy + " " + supported();
        }
    }
}
