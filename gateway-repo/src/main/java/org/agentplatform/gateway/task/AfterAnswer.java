package org.agentplatform.gateway.task;

import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.queue.Outbox;
import org.agentplatform.gateway.sentry.SentryEnrichment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The work that follows a committed task, off the request thread: push it onto Redis (Sentry tasks:
 * first fetch the stack trace), then add the eyes reaction (when the task asks for one). Anything that fails here is picked up again by the
 * {@link org.agentplatform.gateway.queue.OutboxRelay}; the task itself is already safe in the database.
 */
@Singleton
public class AfterAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(AfterAnswer.class);

    private final ExecutorService executor;
    private final Outbox outbox;
    private final EyesReaction reactions;
    private final SentryEnrichment enrichment;

    public AfterAnswer(@Named(TaskExecutors.BLOCKING) ExecutorService executor, Outbox outbox, EyesReaction reactions,
                       SentryEnrichment enrichment) {
        this.executor = executor;
        this.outbox = outbox;
        this.reactions = reactions;
        this.enrichment = enrichment;
    }

    /** Call only after the task's transaction committed. */
    public void taskCommitted(String taskId, String correlationId, boolean react) {
        taskCommitted(taskId, correlationId, react, false);
    }

    /**
     * Call only after the task's transaction committed. {@code enrich}: the task waits for its
     * enrichment (Sentry stack trace), which then enqueues it.
     */
    public void taskCommitted(String taskId, String correlationId, boolean react, boolean enrich) {
        try {
            executor.execute(() -> run(taskId, correlationId, react, enrich));
        } catch (RejectedExecutionException e) {
            LOG.warn("Cannot start the work for task {} now; the outbox relay will do it", taskId);
        }
    }

    private void run(String taskId, String correlationId, boolean react, boolean enrich) {
        try (var ignored = Correlation.scope(correlationId)) {
            try {
                if (enrich) {
                    // enqueues the task itself once it is enriched or given up on
                    enrichment.attempt(taskId);
                } else {
                    outbox.enqueue(taskId);
                }
            } catch (RuntimeException e) {
                LOG.warn("Enqueue of task {} failed ({}); the outbox relay retries", taskId, e.toString());
            }
            if (react) {
                try {
                    reactions.attempt(taskId);
                } catch (RuntimeException e) {
                    LOG.warn("Eyes reaction for task {} failed ({}); the outbox relay retries", taskId, e.toString());
                }
            }
        }
    }
}
