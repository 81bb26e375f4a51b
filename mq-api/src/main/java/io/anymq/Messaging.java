package io.anymq;

import io.anymq.spi.ClientDriver;
import io.anymq.spi.MessagingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The entry point: connects to a backend chosen by URL, like JDBC's {@code DriverManager}.
 *
 * <pre>{@code
 * try (MessagingClient client = Messaging.connect("kafka://localhost:9092");
 *      Producer producer = client.producer("orders")) {
 *     producer.send(Message.of("hello")).join();
 * }
 * }</pre>
 *
 * Providers are found with {@link ServiceLoader} on the class path: add the backend's module
 * ({@code io.anymq:mq-kafka}, ...) and its scheme becomes available.
 */
public final class Messaging {
    private static final Logger LOG = LoggerFactory.getLogger(Messaging.class);

    private Messaging() {
    }

    /**
     * Connects to the URL, with {@code MQ_*} environment variables as default options.
     *
     * @param url the connection URL, such as {@code kafka://localhost:9092} or {@code mem:}
     * @return a connected client; close it when done
     * @throws MalformedUrlException  the URL does not parse
     * @throws UnknownSchemeException no provider serves the scheme (the message lists those that do)
     * @throws ConfigurationException an option is unknown to the provider (the message lists the
     *                                known ones) or has a bad value
     * @throws ConnectionException    the broker cannot be reached
     */
    public static MessagingClient connect(String url) {
        if (url == null) {
            throw new ConfigurationException("the URL is null; Messaging.connect() (no argument) connects to what MQ_URL names");
        }
        return connect(MessagingConfig.builder().environment(System.getenv()).url(url).build());
    }

    /**
     * Connects to what the environment names: {@code MQ_URL}, or the in-memory default {@code mem:}.
     *
     * @return a connected client; close it when done
     */
    public static MessagingClient connect() {
        return connect(MessagingConfig.fromEnvironment());
    }

    /**
     * Connects with an explicit configuration. Before the provider connects, every option is checked
     * against the options it declares (see {@link io.anymq.spi.ConfigOptions}).
     *
     * @param config the URL and options
     * @return a connected client; close it when done
     * @throws UnknownSchemeException no provider serves the scheme
     * @throws ConfigurationException an option is unknown to the provider or has a bad value
     * @throws ConnectionException    the broker cannot be reached
     */
    public static MessagingClient connect(MessagingConfig config) {
        MessagingProvider provider = provider(config.scheme());
        MessagingConfig checked = config.checkedAgainst(provider.name(), provider.configOptions());
        LOG.debug("connecting to {} with provider {}", checked.url(), provider.name());
        ClientDriver driver = provider.connect(checked);
        return new CoreClient(provider.name(), driver, checked);
    }

    /**
     * Every provider found on the class path, sorted by name.
     *
     * @return each provider's name, schemes, description and modes
     */
    public static List<ProviderInfo> providers() {
        List<ProviderInfo> infos = new ArrayList<>();
        for (MessagingProvider p : load()) {
            infos.add(p.info());
        }
        infos.sort(Comparator.comparing(ProviderInfo::name));
        return infos;
    }

    /** The provider for a scheme. */
    static MessagingProvider provider(String scheme) {
        List<MessagingProvider> all = load();
        for (MessagingProvider p : all) {
            if (p.schemes().contains(scheme)) {
                return p;
            }
        }
        TreeSet<String> schemes = new TreeSet<>();
        all.forEach(p -> schemes.addAll(p.schemes()));
        throw new UnknownSchemeException(scheme, new ArrayList<>(schemes));
    }

    private static List<MessagingProvider> load() {
        List<MessagingProvider> providers = new ArrayList<>();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        ServiceLoader<MessagingProvider> loader = ServiceLoader.load(MessagingProvider.class,
                cl != null ? cl : Messaging.class.getClassLoader());
        var it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                providers.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a messaging provider that failed to load: {}", e.getMessage());
            }
        }
        return providers;
    }
}
