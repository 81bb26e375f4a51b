package io.anymq.rocketmq;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The module's one daemon timer: send retries, giving back unclaimed deliveries, deferred closes. Tasks are short. */
final class RocketMqTimer {
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "anymq-rocketmq-timer");
        t.setDaemon(true);
        return t;
    });

    private RocketMqTimer() {
    }
}
