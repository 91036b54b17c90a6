package org.agentplatform.gateway.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.OutboxSettings;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.store.TaskRepository;
import org.agentplatform.gateway.store.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transactional outbox between the task table and the Redis task streams.
 *
 * <p>A task is committed to PostgreSQL first (status {@code accepted}, {@code enqueued_at} NULL) and
 * answered; then it is pushed with XADD and marked {@code queued}. The row is locked
 * ({@code FOR UPDATE SKIP LOCKED}) while it is pushed, so the immediate push after the answer, the
 * relay and other gateway instances never push the same row at the same time. If Redis is down the
 * row simply stays in the outbox and the relay pushes it, oldest first, once Redis is back.
 * Delivery to the queue is at-least-once (a crash between XADD and the commit pushes it again);
 * consumers are idempotent on {@code task_id}, as the contract requires.
 */
@Singleton
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final TaskRepository tasks;
    private final TaskQueue queue;
    private final AtomicBoolean redisFailing = new AtomicBoolean(false);
    private final Counter enqueued;
    private final Counter failures;
    private final Duration relayGrace;

    public Outbox(TaskRepository tasks, TaskQueue queue, MeterRegistry meters, OutboxSettings settings) {
        this.tasks = tasks;
        this.queue = queue;
        this.relayGrace = settings.getRelayGrace();
        this.enqueued = Counter.builder("gateway.tasks.enqueued").description("Tasks pushed onto Redis")
                .register(meters);
        this.failures = Counter.builder("gateway.tasks.enqueue.failures")
                .description("XADDs that failed (the task stayed in the outbox)").register(meters);
    }

    /** Pushes one task now if it is still in the outbox and nobody else is pushing it. */
    @Transactional
    public boolean enqueue(String taskId) {
        return tasks.lockUnqueuedById(taskId).map(this::push).orElse(false);
    }

    /**
     * The hot path right after the answer: the row was just committed by this process and is younger
     * than the relay's grace period, so nobody else pushes it; XADD the message we already hold and
     * mark it queued in one UPDATE (no re-read, no row lock). Failure leaves it to the relay.
     */
    public boolean enqueueFresh(TaskRow row) {
        try (var ignored = Correlation.scope(row.correlationId(), row.message().getTraceparent())) {
            String stream = TaskQueue.streamFor(row.priority());
            String entryId;
            try {
                entryId = queue.add(row.message());
            } catch (RuntimeException e) {
                failed(row, stream, e);
                return false;
            }
            tasks.markEnqueuedIfNot(row.taskId(), Instant.now(), entryId);
            enqueued(row, stream, entryId);
            return true;
        }
    }

    /**
     * Pushes up to {@code limit} outbox rows in created order; stops at the first failure so the
     * order is kept. Returns how many were pushed.
     */
    @Transactional
    public int relay(int limit) {
        List<TaskRow> rows = tasks.lockUnqueued(Instant.now().minus(relayGrace), limit);
        int pushed = 0;
        for (TaskRow row : rows) {
            if (!push(row)) {
                break;
            }
            pushed++;
        }
        return pushed;
    }

    public long pending() {
        return tasks.countByEnqueuedAtIsNull();
    }

    public boolean isRedisFailing() {
        return redisFailing.get();
    }

    private boolean push(TaskRow row) {
        try (var ignored = Correlation.scope(row.correlationId(), row.message().getTraceparent())) {
            String stream = TaskQueue.streamFor(row.priority());
            try {
                String entryId = queue.add(row.message());
                tasks.markEnqueued(row.taskId(), Instant.now(), entryId);
                enqueued(row, stream, entryId);
                return true;
            } catch (RuntimeException e) {
                failed(row, stream, e);
                return false;
            }
        }
    }

    private void enqueued(TaskRow row, String stream, String entryId) {
        enqueued.increment();
        if (redisFailing.compareAndSet(true, false)) {
            LOG.info("Redis is reachable again; draining the outbox");
        }
        // DEBUG: the one INFO line per delivery is the intake's "task created" line
        LOG.debug("Task {} enqueued on {} as entry {}", row.taskId(), stream, entryId);
    }

    private void failed(TaskRow row, String stream, RuntimeException e) {
        failures.increment();
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        tasks.markEnqueueFailed(row.taskId(), error.length() > 1000 ? error.substring(0, 1000) : error);
        if (redisFailing.compareAndSet(false, true)) {
            LOG.warn("Cannot enqueue task {} on {} ({}); it stays in the outbox and the relay retries"
                    + " until Redis is back", row.taskId(), stream, error);
        } else {
            LOG.debug("Task {} still waits in the outbox: {}", row.taskId(), error);
        }
    }
}
