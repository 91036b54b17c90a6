package org.agentplatform.gateway.task;

import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.queue.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The work that follows a committed task, off the request thread: push it onto Redis, then add the
 * eyes reaction (when the task asks for one). Anything that fails here is picked up again by the
 * {@link org.agentplatform.gateway.queue.OutboxRelay}; the task itself is already safe in the database.
 */
@Singleton
public class AfterAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(AfterAnswer.class);

    private final ExecutorService executor;
    private final Outbox outbox;
    private final EyesReaction reactions;

    public AfterAnswer(@Named(TaskExecutors.BLOCKING) ExecutorService executor, Outbox outbox, EyesReaction reactions) {
        this.executor = executor;
        this.outbox = outbox;
        this.reactions = reactions;
    }

    /** Call only after the task's transaction committed. */
    public void taskCommitted(String taskId, String correlationId, boolean react) {
        try {
            executor.execute(() -> run(taskId, correlationId, react));
        } catch (RejectedExecutionException e) {
            LOG.warn("Cannot start the work for task {} now; the outbox relay will do it", taskId);
        }
    }

    private void run(String taskId, String correlationId, boolean react) {
        try (var ignored = Correlation.scope(correlationId)) {
            try {
                outbox.enqueue(taskId);
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
