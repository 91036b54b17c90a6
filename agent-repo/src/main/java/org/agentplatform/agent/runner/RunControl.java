package org.agentplatform.agent.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a running attempt from outside: its timeout, a cancel request, the cost cap, the loss
 * of its queue entry or the shutdown. The first reason wins; stop hooks (kill the process,
 * abort the request) run once, on the stopping thread.
 */
public final class RunControl {
    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    /** Why an attempt was stopped. */
    public enum StopReason { CANCELLED, TIMEOUT, COST_CAP, LEASE_LOST, SHUTDOWN }

    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile StopReason reason;

    /** Returns false when it was already stopped (for another reason). */
    public boolean stop(StopReason why) {
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = why;
        }
        stopped.countDown();
        for (Runnable hook : hooks) {
            runHook(hook);
        }
        return true;
    }

    public StopReason reason() {
        return reason;
    }

    public boolean isStopped() {
        return reason != null;
    }

    /** Registers a hook; runs it at once when already stopped. */
    public void onStop(Runnable hook) {
        boolean runNow;
        synchronized (this) {
            hooks.add(hook);
            runNow = reason != null;
        }
        if (runNow) {
            runHook(hook);
        }
    }

    /** Sleeps up to {@code d}; returns true at once when stopped. */
    public boolean await(Duration d) throws InterruptedException {
        return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.warn("stop hook failed: {}", e.toString());
        }
    }
}
