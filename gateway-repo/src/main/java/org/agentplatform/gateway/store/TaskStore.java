package org.agentplatform.gateway.store;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** The writes that must happen together. */
@Singleton
public class TaskStore {

    private final TaskRepository tasks;
    private final DeliveryRepository deliveries;
    private final JdbcOperations jdbc;
    private final JsonMapper json;

    /**
     * The delivery row, unless {@code (vendor, delivery_id)} is taken: dedupe and insert in one
     * statement (a concurrent twin waits on the unique index until the first commits, then gets
     * nothing back).
     */
    private static final String INSERT_DELIVERY = "INSERT INTO delivery (vendor, delivery_id, event, hook_id,"
            + " outcome, reason, task_id, correlation_id, ack, received_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB), ?)"
            + " ON CONFLICT (vendor, delivery_id) DO NOTHING RETURNING id";

    public TaskStore(TaskRepository tasks, DeliveryRepository deliveries, JdbcOperations jdbc, JsonMapper json) {
        this.tasks = tasks;
        this.deliveries = deliveries;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The task and the delivery that created it, in one transaction; if the delivery was seen
     * before, nothing is written and {@link AlreadyDelivered} is thrown (the transaction rolls back).
     */
    @Transactional
    public void insertTaskAndDelivery(TaskRow task, DeliveryRow delivery) {
        tasks.save(task);
        if (!insertDeliveryIfNew(delivery)) {
            throw new AlreadyDelivered();
        }
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
        if (!insertDeliveryIfNew(delivery)) {
            throw new AlreadyDelivered();
        }
    }

    /** Thrown (and the transaction rolled back) when the delivery is a redelivery. */
    public static final class AlreadyDelivered extends RuntimeException {
        public AlreadyDelivered() {
            super("delivery seen before", null, false, false);
        }
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

    /** @return false (and nothing written) when {@code (vendor, delivery_id)} was stored before */
    @Transactional
    public boolean insertDelivery(DeliveryRow delivery) {
        return insertDeliveryIfNew(delivery);
    }

    private boolean insertDeliveryIfNew(DeliveryRow d) {
        String ack;
        try {
            ack = json.writeValueAsString(d.ack());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jdbc.prepareStatement(INSERT_DELIVERY, (PreparedStatement ps) -> {
            try {
                ps.setString(1, d.vendor());
                ps.setString(2, d.deliveryId());
                setNullable(ps, 3, d.event());
                setNullable(ps, 4, d.hookId());
                ps.setString(5, d.outcome());
                setNullable(ps, 6, d.reason());
                setNullable(ps, 7, d.taskId());
                setNullable(ps, 8, d.correlationId());
                ps.setString(9, ack);
                ps.setTimestamp(10, Timestamp.from(d.receivedAt()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw new io.micronaut.data.exceptions.DataAccessException("insert delivery: " + e.getMessage(), e);
            }
        });
    }

    private static void setNullable(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
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
