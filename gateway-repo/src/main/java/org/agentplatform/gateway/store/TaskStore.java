package org.agentplatform.gateway.store;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.time.Instant;

/** The writes that must happen together. */
@Singleton
public class TaskStore {

    private final TaskRepository tasks;
    private final DeliveryRepository deliveries;

    public TaskStore(TaskRepository tasks, DeliveryRepository deliveries) {
        this.tasks = tasks;
        this.deliveries = deliveries;
    }

    /** The task and the delivery that created it, in one transaction. */
    @Transactional
    public void insertTaskAndDelivery(TaskRow task, DeliveryRow delivery) {
        tasks.save(task);
        deliveries.save(delivery);
    }

    /**
     * Like {@link #insertTaskAndDelivery} but only if {@code dedupeKey} is free (no other task holds
     * it within its window); else nothing is written and {@link DedupeKeyTaken} names the holder.
     */
    @Transactional
    public void insertTaskAndDelivery(TaskRow task, DeliveryRow delivery, String dedupeKey, Instant expiresAt) {
        if (tasks.claimDedupeKey(dedupeKey, task.taskId(), task.createdAt(), expiresAt) == 0) {
            throw new DedupeKeyTaken(dedupeKey, tasks.findDedupeHolder(dedupeKey).orElse(null));
        }
        tasks.save(task);
        deliveries.save(delivery);
    }

    /** Thrown (and the transaction rolled back) when a dedupe key is held by another task. */
    public static final class DedupeKeyTaken extends RuntimeException {
        private final String holder;

        public DedupeKeyTaken(String key, String holder) {
            super("a task for " + key + " exists already (" + holder + ")", null, false, false);
            this.holder = holder;
        }

        public String holder() {
            return holder;
        }
    }

    @Transactional
    public void insertDelivery(DeliveryRow delivery) {
        deliveries.save(delivery);
    }

    @Transactional
    public void insertTask(TaskRow task) {
        tasks.save(task);
    }

    /** True when {@code e} is PostgreSQL's unique_violation (a concurrent twin got there first). */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
