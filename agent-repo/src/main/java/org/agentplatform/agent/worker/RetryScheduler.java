package org.agentplatform.agent.worker;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.List;

/**
 * Failed attempts wait in the database (status queued, {@code retry_at}), not in Redis: their
 * entry is acknowledged at once and a new one is XADDed when the backoff is over. Any agent
 * process may do it; {@code FOR UPDATE SKIP LOCKED} gives each due run to one of them. A crash
 * between XADD and commit only causes a duplicate entry, which the fencing drops.
 */
@Singleton
public class RetryScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(RetryScheduler.class);
    private final RunRepository runs;
    private final TaskQueue queue;

    public RetryScheduler(RunRepository runs, TaskQueue queue) {
        this.runs = runs;
        this.queue = queue;
    }

    /** Moves due retries onto their priority stream; returns how many. */
    @Transactional
    public int enqueueDue() {
        Instant now = Instant.now();
        List<RunEntity> due = runs.lockDueRetries(now, 50);
        for (RunEntity run : due) {
            if (run.correlationId() != null) {
                MDC.put("correlation_id", run.correlationId());
            }
            try {
                String ref = queue.enqueue(run.messageJson(), run.priority());
                runs.retryEnqueued(run.taskId(), ref, now);
                LOG.info("Task {} queued again for attempt {} as {}", run.taskId(), run.roundAttempts() + 1, ref);
            } finally {
                MDC.remove("correlation_id");
            }
        }
        return due.size();
    }
}
