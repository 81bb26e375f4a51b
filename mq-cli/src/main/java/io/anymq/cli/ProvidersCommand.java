package io.anymq.cli;

import io.anymq.Capabilities;
import io.anymq.Capability;
import io.anymq.Messaging;
import io.anymq.ProviderInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code mq providers}: the backends on the class path, their modes and capabilities. */
@Command(name = "providers", mixinStandardHelpOptions = true, description = "List the backends found, with their capabilities.")
final class ProvidersCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json: one JSON object per provider "
            + "and line (name, schemes, description, modes with exampleUrl, guarantee, maxPayloadBytes, capabilities)")
    Format format = Format.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ProviderInfo> providers = Messaging.providers();
        if (format == Format.json) {
            providers.forEach(p -> out.println(json(p)));
            return 0;
        }
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

    /** The provider as one JSON object; capability names as in {@link Capability}, the minimum ack timeout in ISO-8601. */
    static String json(ProviderInfo p) {
        StringBuilder b = new StringBuilder("{\"name\":").append(Json.string(p.name()))
                .append(",\"schemes\":").append(Json.strings(p.schemes().stream().sorted().toList()))
                .append(",\"description\":").append(Json.string(p.description()))
                .append(",\"modes\":[");
        for (int i = 0; i < p.modes().size(); i++) {
            ProviderInfo.Mode mode = p.modes().get(i);
            Capabilities c = mode.capabilities();
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.string(mode.name()))
                    .append(",\"exampleUrl\":").append(Json.string(mode.exampleUrl()))
                    .append(",\"guarantee\":").append(Json.string(c.guarantee().name()))
                    .append(",\"maxPayloadBytes\":").append(c.maxPayloadBytes())
                    .append(",\"minimumAckTimeout\":").append(Json.string(c.minimumAckTimeout().toString()))
                    .append(",\"maximumNackDelay\":").append(Json.string(c.maximumNackDelay().toString()))
                    .append(",\"capabilities\":").append(Json.strings(c.declared().stream().sorted().map(Capability::name).toList()))
                    .append('}');
        }
        return b.append("]}").toString();
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
