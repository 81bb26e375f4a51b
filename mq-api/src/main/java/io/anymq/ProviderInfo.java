package io.anymq;

import java.util.List;
import java.util.Set;

/**
 * A provider found on the class path.
 *
 * @param name        its name, such as {@code kafka}
 * @param schemes     the URL schemes it serves
 * @param description one line
 * @param modes       its modes (a backend with one mode has one), each with its capabilities
 */
public record ProviderInfo(String name, Set<String> schemes, String description, List<Mode> modes) {
    /**
     * Copies the schemes and modes.
     *
     * @param name        its name
     * @param schemes     the URL schemes it serves
     * @param description one line
     * @param modes       its modes
     */
    public ProviderInfo {
        schemes = Set.copyOf(schemes);
        modes = List.copyOf(modes);
    }

    /**
     * One way of using a backend, chosen by URL.
     *
     * @param name         the mode's name, such as {@code ordered} or {@code stream}
     * @param exampleUrl   a URL that selects it
     * @param capabilities what the mode offers
     */
    public record Mode(String name, String exampleUrl, Capabilities capabilities) {
    }
}
