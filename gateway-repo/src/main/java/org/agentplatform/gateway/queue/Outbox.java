package org.agentplatform.gateway.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.store.TaskRepository;
import org.agentplatform.gateway.store.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    public Outbox(TaskRepository tasks, TaskQueue queue, MeterRegistry meters) {
        this.tasks = tasks;
        this.queue = queue;
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
     * Pushes up to {@code limit} outbox rows in created order; stops at the first failure so the
     * order is kept. Returns how many were pushed.
     */
    @Transactional
    public int relay(int limit) {
        List<TaskRow> rows = tasks.lockUnqueued(limit);
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
        try (var ignored = Correlation.scope(row.correlationId())) {
            String stream = TaskQueue.streamFor(row.priority());
            try {
                String entryId = queue.add(row.message());
                tasks.markEnqueued(row.taskId(), Instant.now(), entryId);
                enqueued.increment();
                if (redisFailing.compareAndSet(true, false)) {
                    LOG.info("Redis is reachable again; draining the outbox");
                }
                LOG.info("Task {} enqueued on {} as entry {}", row.taskId(), stream, entryId);
                return true;
            } catch (RuntimeException e) {
                failures.increment();
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                tasks.markEnqueueFailed(row.taskId(), error.length() > 1000 ? error.substring(0, 1000) : error);
                if (redisFailing.compareAndSet(false, true)) {
                    LOG.warn("Cannot enqueue task {} on {} ({}); it stays in the outbox and the relay retries"
                            + " until Redis is back", row.taskId(), stream, error);
                } else {
                    LOG.debug("Task {} still waits in the outbox: {}", row.taskId(), error);
                }
                return false;
            }
        }
    }
}
