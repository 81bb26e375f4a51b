package io.anymq.bench;

import io.anymq.ConfigurationException;
import io.anymq.MqUrl;

/** The native baseline for a URL's backend. Each backend adds its own here as it lands. */
final class NativeTargets {
    private NativeTargets() {
    }

    static BenchTarget forUrl(String url) {
        String scheme = MqUrl.parse(url).scheme();
        return switch (scheme) {
            case "mem" -> new QueueHandOffTarget();
            default -> throw new ConfigurationException("no native baseline for scheme '" + scheme
                    + "' yet; available: mem (ArrayBlockingQueue hand-off)");
        };
    }
}
