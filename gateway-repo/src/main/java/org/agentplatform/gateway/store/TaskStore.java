package org.agentplatform.gateway.store;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.SQLException;

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
