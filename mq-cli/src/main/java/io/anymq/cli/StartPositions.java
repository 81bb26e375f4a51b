package io.anymq.cli;

import io.anymq.ConfigurationException;
import io.anymq.StartPosition;

/** {@code --from} on the command line: earliest, latest or an ISO-8601 time. */
final class StartPositions {
    static final String DESCRIPTION = "where a new group starts: earliest, latest, or the first message stored at or after "
            + "an ISO-8601 time such as 2026-11-30T08:00:00Z (default: ${DEFAULT-VALUE})";

    private StartPositions() {
    }

    static StartPosition parse(String option, String value) {
        try {
            return StartPosition.parse(value);
        } catch (ConfigurationException e) {
            throw new Main.UsageError(option + ": " + e.getMessage());
        }
    }
}
