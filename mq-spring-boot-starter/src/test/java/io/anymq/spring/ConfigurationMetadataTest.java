package io.anymq.spring;

import io.anymq.spi.ConfigOption;
import io.anymq.spi.ConfigOptions;
import io.anymq.spi.MessagingProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's {@code META-INF/spring-configuration-metadata.json} (what an IDE completes under
 * {@code anymq.}) is generated from the options the providers declare ({@code ConfigOption}): this
 * test fails when it differs from what the declarations give. To write it again:
 * {@code mvn -pl mq-spring-boot-starter -am test -Dtest=ConfigurationMetadataTest -Danymq.metadata.write=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConfigurationMetadataTest {
    static final String RESOURCE = "META-INF/spring-configuration-metadata.json";

    @Test
    void metadataMatchesTheProvidersDeclarations() throws IOException {
        String expected = generate();
        if (Boolean.getBoolean("anymq.metadata.write")) {
            Files.writeString(Path.of("src/main/resources").resolve(RESOURCE), expected);
        }
        String actual;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the class path").isNotNull();
            actual = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).as("the metadata is generated from the declarations: run this test with -Danymq.metadata.write=true")
                .isEqualTo(expected);
        assertThat(actual).contains("\"name\": \"anymq.url\"", "\"name\": \"anymq.capacity\"", "\"name\": \"anymq.partitions\"",
                "\"name\": \"anymq.kafka\"");
    }

    /** Providers on the test class path that declare their options, by name. */
    static Map<String, ConfigOptions> declaringProviders() {
        Map<String, ConfigOptions> m = new TreeMap<>();
        for (MessagingProvider p : ServiceLoader.load(MessagingProvider.class)) {
            if (p.configOptions().isDeclared()) {
                m.put(p.name(), p.configOptions());
            }
        }
        assertThat(m.keySet()).as("the test class path has every provider that declares its options").contains("mem", "kafka");
        return m;
    }

    static String generate() {
        Map<String, ConfigOptions> providers = declaringProviders();
        // option name -> provider -> option
        Map<String, Map<String, ConfigOption<?>>> byName = new TreeMap<>();
        Map<String, List<String>> prefixes = new TreeMap<>();
        providers.forEach((provider, options) -> {
            for (ConfigOption<?> o : options.options()) {
                byName.computeIfAbsent(o.name(), k -> new LinkedHashMap<>()).put(provider, o);
            }
            for (String p : options.passThroughPrefixes()) {
                prefixes.computeIfAbsent(p, k -> new ArrayList<>()).add(provider);
            }
        });
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"groups\": [\n    {\n      \"name\": \"anymq\",\n")
                .append("      \"sourceType\": \"io.anymq.spring.AnymqProperties\",\n")
                .append("      \"description\": ").append(quote("anymq: the URL, and the URL's options under the same names (the providers' declared options: "
                        + String.join(", ", providers.keySet()) + "; other providers' options are in their READMEs)."))
                .append("\n    }\n  ],\n  \"properties\": [\n");
        List<String> entries = new ArrayList<>();
        entries.add(entry("anymq.url", "java.lang.String",
                "The connection URL (kafka://host:9092, amqp://..., mem:); its scheme chooses the provider. Without it MQ_URL, else mem:.",
                quote("mem:")));
        entries.add(entry("anymq." + AnymqProperties.METRICS_ENABLED, "java.lang.Boolean",
                "Whether the starter installs mq-micrometer's interceptor when the application has a MeterRegistry bean (the starter's own switch, not an option).",
                "true"));
        entries.add(entry("anymq." + AnymqProperties.TRACING_ENABLED, "java.lang.Boolean",
                "Whether the starter installs mq-opentelemetry's interceptor when the application has an OpenTelemetry bean (the starter's own switch, not an option).",
                "true"));
        byName.forEach((name, perProvider) -> {
            List<ConfigOption<?>> options = new ArrayList<>(perProvider.values());
            ConfigOption<?> first = options.get(0);
            boolean sameType = options.stream().allMatch(o -> o.type().equals(first.type()));
            String type = sameType ? javaType(first) : "java.lang.String";
            StringBuilder doc = new StringBuilder();
            perProvider.forEach((provider, o) -> doc.append(doc.length() == 0 ? "" : " ")
                    .append(provider).append(": ").append(o.doc()).append(" (default ").append(o.defaultText()).append(")."));
            boolean sameDefault = options.stream().allMatch(o -> o.defaultText().equals(first.defaultText()));
            String defaultValue = sameType && sameDefault && first.defaultValue() != null ? jsonDefault(first) : null;
            entries.add(entry("anymq." + name, type, doc.toString(), defaultValue));
        });
        prefixes.forEach((prefix, names) -> entries.add(entry("anymq." + prefix.substring(0, prefix.length() - 1),
                "java.util.Map<java.lang.String,java.lang.String>",
                String.join(", ", names) + ": native client settings, passed through unchecked (anymq." + prefix + "NAME=VALUE).", null)));
        b.append(String.join(",\n", entries)).append("\n  ],\n  \"hints\": [\n");
        List<String> hints = new ArrayList<>();
        byName.forEach((name, perProvider) -> {
            ConfigOption<?> first = perProvider.values().iterator().next();
            if (perProvider.size() == 1 && first.defaultValue() instanceof Enum<?> e) {
                StringBuilder h = new StringBuilder("    {\n      \"name\": ").append(quote("anymq." + name)).append(",\n      \"values\": [\n");
                List<String> values = new ArrayList<>();
                for (Object c : e.getDeclaringClass().getEnumConstants()) {
                    values.add("        {\n          \"value\": " + quote(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')) + "\n        }");
                }
                h.append(String.join(",\n", values)).append("\n      ]\n    }");
                hints.add(h.toString());
            }
        });
        b.append(String.join(",\n", hints)).append("\n  ]\n}\n");
        return b.toString();
    }

    private static String entry(String name, String type, String description, String defaultValue) {
        StringBuilder b = new StringBuilder("    {\n      \"name\": ").append(quote(name))
                .append(",\n      \"type\": ").append(quote(type))
                .append(",\n      \"sourceType\": \"io.anymq.spring.AnymqProperties\"")
                .append(",\n      \"description\": ").append(quote(description));
        if (defaultValue != null) {
            b.append(",\n      \"defaultValue\": ").append(defaultValue);
        }
        return b.append("\n    }").toString();
    }

    private static String javaType(ConfigOption<?> o) {
        return switch (o.type()) {
            case "int" -> "java.lang.Integer";
            case "long" -> "java.lang.Long";
            case "boolean" -> "java.lang.Boolean";
            case "duration" -> "java.time.Duration";
            default -> "java.lang.String";
        };
    }

    private static String jsonDefault(ConfigOption<?> o) {
        return switch (o.type()) {
            case "int", "long", "boolean" -> o.defaultValue().toString();
            default -> quote(o.defaultText());
        };
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

}
