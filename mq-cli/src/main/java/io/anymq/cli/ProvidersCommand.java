package io.anymq.cli;

import io.anymq.Capability;
import io.anymq.Messaging;
import io.anymq.ProviderInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code mq providers}: the backends on the class path, their modes and capabilities. */
@Command(name = "providers", mixinStandardHelpOptions = true, description = "List the backends found, with their capabilities.")
final class ProvidersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ProviderInfo> providers = Messaging.providers();
        for (ProviderInfo p : providers) {
            out.printf("%s (%s): %s%n", p.name(), String.join(", ", p.schemes().stream().map(s -> s + ":").sorted().toList()),
                    p.description());
            for (ProviderInfo.Mode mode : p.modes()) {
                String caps = mode.capabilities().declared().stream().sorted().map(Capability::name).map(String::toLowerCase)
                        .collect(Collectors.joining(", "));
                out.printf("  %-10s %s%n", mode.name(), mode.exampleUrl());
                out.printf("  %-10s max payload %s; %s%n", "", bytes(mode.capabilities().maxPayloadBytes()), caps);
            }
        }
        out.printf("%d provider(s)%n", providers.size());
        return 0;
    }

    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1L << 10 && n % (1L << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }
}
