package org.agentplatform.agent.worker;

import org.agentplatform.agent.queue.QueueEntry;
import org.agentplatform.agent.runner.RunControl;

/**
 * A worker's hold on one queue entry while it processes it. The heartbeat keeps it fresh; if the
 * heartbeat finds the entry taken over (this worker stalled past the visibility timeout) the
 * lease is lost and the attempt is abandoned; at shutdown, past the grace period, it is handed
 * back (left unacknowledged, so it is redelivered).
 */
public final class Lease {
    private final QueueEntry entry;
    private final String consumer;
    private final Object lock = new Object();
    private volatile boolean lost;
    private volatile boolean handBack;
    private volatile RunControl control;

    public Lease(QueueEntry entry, String consumer) {
        this.entry = entry;
        this.consumer = consumer;
    }

    public QueueEntry entry() {
        return entry;
    }

    public String consumer() {
        return consumer;
    }

    public boolean lost() {
        return lost;
    }

    /** Lost, or to be handed back: stop working on it and do not acknowledge it. */
    public boolean abandoned() {
        return lost || handBack;
    }

    public boolean handingBack() {
        return handBack;
    }

    public void attach(RunControl c) {
        control = c;
        if (lost) {
            c.stop(RunControl.StopReason.LEASE_LOST);
        } else if (handBack) {
            c.stop(RunControl.StopReason.SHUTDOWN);
        }
    }

    public void detach() {
        control = null;
    }

    void markLost() {
        lost = true;
        RunControl c = control;
        if (c != null) {
            c.stop(RunControl.StopReason.LEASE_LOST);
        }
        wake();
    }

    void handBack() {
        handBack = true;
        RunControl c = control;
        if (c != null) {
            c.stop(RunControl.StopReason.SHUTDOWN);
        }
        wake();
    }

    /** Sleeps up to {@code ms}; returns false at once when the lease is abandoned. */
    public boolean sleep(long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        synchronized (lock) {
            long left;
            while (!abandoned() && (left = end - System.currentTimeMillis()) > 0) {
                lock.wait(left);
            }
        }
        return !abandoned();
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
