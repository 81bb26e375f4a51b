package io.anymq.cli;

import io.anymq.ConfigurationException;
import io.anymq.MessagingConfig;

import java.time.Duration;

/** Durations on the command line, in the SDK's own syntax (250ms, 5s, 2m, PT1S). */
final class Durations {
    private Durations() {
    }

    static Duration parse(String option, String value) {
        try {
            return MessagingConfig.of("mem:").with(option, value).getDuration(option, null);
        } catch (ConfigurationException e) {
            throw new Main.UsageError(option + " '" + value + "' is not a duration such as 250ms, 5s or 2m");
        }
    }
}
