package org.agentplatform.platformtests;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polls a condition until it holds; fails with what was awaited. No fixed sleeps in tests. */
final class Await {
    static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Timed out after " + timeout + " waiting for: " + what
                + (last != null ? " (last error: " + last + ")" : ""));
    }

    private Await() {}
}
