package io.anymq.harness;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a real readiness probe (a protocol round trip), never for a fixed time. */
final class Readiness {
    private Readiness() {
    }

    /**
     * Polls the probe until it answers true; fails when the deadline passes or a watched process
     * died, with the reason and the last probe error.
     */
    static void await(String what, Duration timeout, Callable<Boolean> probe, ManagedProcess... watched) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            for (ManagedProcess p : watched) {
                if (!p.isAlive()) {
                    throw new BrokerException(what + ": " + p + " exited before it was ready");
                }
            }
            try {
                if (Boolean.TRUE.equals(probe.call())) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new BrokerException(what + " was not ready within " + timeout
                        + (last == null ? "" : "; last probe: " + last));
            }
            try {
                Thread.sleep(100); // the interval between two probes, not a readiness assumption
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException("interrupted while waiting for " + what, e);
            }
        }
    }
}
