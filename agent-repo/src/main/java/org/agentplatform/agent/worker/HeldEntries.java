package org.agentplatform.agent.worker;

import jakarta.inject.Singleton;
import org.agentplatform.agent.queue.QueueEntry;
import org.agentplatform.agent.queue.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The entries this process's workers hold, and their heartbeat. */
@Singleton
public class HeldEntries {
    private static final Logger LOG = LoggerFactory.getLogger(HeldEntries.class);
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final TaskQueue queue;

    public HeldEntries(TaskQueue queue) {
        this.queue = queue;
    }

    public Lease hold(QueueEntry entry, String consumer) {
        Lease lease = new Lease(entry, consumer);
        leases.put(entry.ref(), lease);
        return lease;
    }

    public void release(Lease lease) {
        leases.remove(lease.entry().ref(), lease);
    }

    public Collection<Lease> all() {
        return List.copyOf(leases.values());
    }

    /**
     * XCLAIM … JUSTID each held entry to its holder (idle back to 0), per consumer and stream;
     * entries the holder no longer owns are marked lost, which stops their attempt.
     */
    public void heartbeat() {
        Map<String, List<Lease>> groups = leases.values().stream()
                .collect(Collectors.groupingBy(l -> l.consumer() + "\u0000" + l.entry().stream()));
        for (List<Lease> group : groups.values()) {
            Lease first = group.get(0);
            List<String> ids = new ArrayList<>();
            group.forEach(l -> ids.add(l.entry().id()));
            try {
                List<String> lost = queue.heartbeat(first.consumer(), first.entry().stream(), ids);
                for (Lease l : group) {
                    if (lost.contains(l.entry().id()) && leases.get(l.entry().ref()) == l && !l.lost()) {
                        LOG.warn("Entry {} is no longer held by {} (taken over after a stall, or acknowledged): abandoning it",
                                l.entry().ref(), l.consumer());
                        l.markLost();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Heartbeat of {} entries on {} failed: {}", ids.size(), first.entry().stream(), e.toString());
            }
        }
    }

    /** Shutdown past the grace period: every held entry is handed back. */
    public void handBackAll() {
        leases.values().forEach(Lease::handBack);
    }
}
