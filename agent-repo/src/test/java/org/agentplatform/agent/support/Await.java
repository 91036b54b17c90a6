package org.agentplatform.agent.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition (no sleeps of fixed length in the tests). */
public final class Await {
    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        AssertionError e = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        if (last != null) {
            e.initCause(last);
        }
        throw e;
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }
}
