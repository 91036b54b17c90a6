package org.agentplatform.gateway.task;

import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.OutboxSettings;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.queue.Outbox;
import org.agentplatform.gateway.sentry.SentryEnrichment;
import org.agentplatform.gateway.store.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work that follows a committed task, off the request thread and on the bounded
 * {@link AfterAnswerExecutor}: push it onto Redis (push lane), then add the eyes reaction when the
 * task asks for one (vendor lane); Sentry tasks first fetch the stack trace (vendor lane), which
 * then enqueues them. Anything that fails here, or that does not fit
 * into the executor's queue, is picked up by the {@link org.agentplatform.gateway.queue.OutboxRelay}:
 * the task is already safe in the database with its outbox, reaction and enrichment state.
 */
@Singleton
public class AfterAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(AfterAnswer.class);

    private final AfterAnswerExecutor executor;
    private final Outbox outbox;
    private final EyesReaction reactions;
    private final SentryEnrichment enrichment;
    /** A hand-off older than this takes the locking path: the relay may be on the same row by then. */
    private final long freshNanos;
    private final AtomicLong rejected = new AtomicLong();

    public AfterAnswer(AfterAnswerExecutor executor, Outbox outbox, EyesReaction reactions,
                       SentryEnrichment enrichment, OutboxSettings outboxSettings) {
        this.executor = executor;
        this.outbox = outbox;
        this.reactions = reactions;
        this.enrichment = enrichment;
        this.freshNanos = outboxSettings.getRelayGrace().dividedBy(2).toNanos();
    }

    /** Call only after the task's transaction committed. */
    public void taskCommitted(TaskRow task, boolean react) {
        taskCommitted(task, react, false);
    }

    /**
     * Call only after the task's transaction committed; never blocks. {@code enrich}: the task waits
     * for its enrichment (Sentry stack trace), which then enqueues it.
     */
    public void taskCommitted(TaskRow task, boolean react, boolean enrich) {
        long handedOff = System.nanoTime();
        if (enrich) {
            // the enrichment calls sentry-service and enqueues the task itself once it is done
            handOff(task, true, () -> vendorCall(task, "Enrichment", () -> enrichment.attempt(task.taskId())));
        } else {
            handOff(task, false, () -> push(task, react, handedOff));
        }
    }

    /** How many hand-offs were dropped because the queue was full (all of them done by the relay later). */
    public long rejectedHandOffs() {
        return rejected.get();
    }

    private void push(TaskRow task, boolean react, long handedOff) {
        try (var ignored = Correlation.scope(task.correlationId(), task.message().getTraceparent())) {
            try {
                if (System.nanoTime() - handedOff < freshNanos) {
                    // the relay leaves rows this young alone: push without re-reading or locking the row
                    outbox.enqueueFresh(task);
                } else {
                    outbox.enqueue(task.taskId());
                }
            } catch (RuntimeException e) {
                LOG.warn("Enqueue of task {} failed ({}); the outbox relay retries", task.taskId(), e.toString());
            }
        }
        if (react) {
            handOff(task, true, () -> vendorCall(task, "Eyes reaction", () -> reactions.attempt(task.taskId())));
        }
    }

    private void vendorCall(TaskRow task, String what, Runnable call) {
        try (var ignored = Correlation.scope(task.correlationId(), task.message().getTraceparent())) {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("{} for task {} failed ({}); the outbox relay retries", what, task.taskId(), e.toString());
        }
    }

    private void handOff(TaskRow task, boolean vendorLane, Runnable work) {
        try {
            if (vendorLane) {
                executor.vendorCall(work);
            } else {
                executor.push(work);
            }
        } catch (RejectedExecutionException e) {
            // the relay finds the row (outbox / due reaction / due enrichment) within a tick or two
            long n = rejected.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("After-answer queue full: task {} is left to the outbox relay ({} hand-off(s) so far)",
                        task.taskId(), n);
            } else {
                LOG.debug("After-answer queue full: task {} is left to the outbox relay", task.taskId());
            }
        }
    }
}
