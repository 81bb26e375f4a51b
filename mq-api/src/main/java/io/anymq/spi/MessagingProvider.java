package io.anymq.spi;

import io.anymq.MessagingConfig;
import io.anymq.ProviderInfo;

import java.util.List;
import java.util.Set;

/**
 * A backend, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.anymq.spi.MessagingProvider}. Users never call this; they call
 * {@code Messaging.connect(url)}, which picks the provider by the URL's scheme and wraps its
 * driver in the portable core.
 */
public interface MessagingProvider {

    /** A short lower-case name, such as {@code kafka}. */
    String name();

    /** The URL schemes it serves, lower case. */
    Set<String> schemes();

    /** One line for {@code mq providers}. */
    String description();

    /** Its modes with their capabilities, for listings. */
    List<ProviderInfo.Mode> modes();

    /**
     * Connects. The configuration's scheme is one of {@link #schemes()}.
     *
     * @throws io.anymq.ConfigurationException  a bad option
     * @throws io.anymq.ConnectionException     the broker cannot be reached
     * @throws io.anymq.AuthenticationException the broker refused the credentials
     */
    ClientDriver connect(MessagingConfig config);

    /**
     * Every option this provider reads, declared once, and its pass-through prefixes. The core
     * refuses every other option before {@link #connect} is called, and maps {@code MQ_*}
     * environment variables onto the declared names. The default, {@link ConfigOptions#undeclared()},
     * is for providers written before declarations existed: their options are not checked.
     *
     * @return the declaration
     */
    default ConfigOptions configOptions() {
        return ConfigOptions.undeclared();
    }

    /** The listing entry. */
    default ProviderInfo info() {
        return new ProviderInfo(name(), schemes(), description(), modes());
    }
}
