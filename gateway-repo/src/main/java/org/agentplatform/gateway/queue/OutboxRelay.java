package org.agentplatform.gateway.queue;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.OutboxSettings;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.sentry.SentryEnrichment;
import org.agentplatform.gateway.store.TaskRepository;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.task.AfterAnswerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every {@code gateway.outbox.relay-interval} (1 s): pushes any task still in the outbox (Redis was
 * down, or the gateway stopped between commit and push), oldest first, and retries the reactions
 * and the Sentry enrichments that are due. Nothing accepted is lost as long as the database keeps it.
 */
@Singleton
@Requires(property = "gateway.outbox.relay-enabled", notEquals = "false")
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final TaskRepository tasks;
    private final EyesReaction reactions;
    private final SentryEnrichment enrichment;
    private final AfterAnswerExecutor executor;
    private final int batchSize;
    private final AtomicBoolean failing = new AtomicBoolean(false);

    public OutboxRelay(Outbox outbox, TaskRepository tasks, EyesReaction reactions, SentryEnrichment enrichment,
                       OutboxSettings settings, AfterAnswerExecutor executor) {
        this.outbox = outbox;
        this.tasks = tasks;
        this.reactions = reactions;
        this.enrichment = enrichment;
        this.executor = executor;
        this.batchSize = Math.max(1, settings.getBatchSize());
    }

    @Scheduled(fixedDelay = "${gateway.outbox.relay-interval:1s}", initialDelay = "${gateway.outbox.relay-interval:1s}")
    void tick() {
        try {
            int pushed;
            int total = 0;
            do {
                pushed = outbox.relay(batchSize);
                total += pushed;
            } while (pushed == batchSize);
            if (total > 0) {
                LOG.info("Outbox relay enqueued {} task(s)", total);
            }
            // retries go through the after-answer vendor lane; when its queue
            // is half full they wait for a later tick (they stay due in the database)
            if (!executor.vendorLaneBusy()) {
                for (TaskRow due : tasks.findDueEnrichments(Instant.now(), batchSize)) {
                    executor.vendorCall(() -> enrichment.attempt(due.taskId()));
                }
            }
            if (!executor.vendorLaneBusy()) {
                for (TaskRow due : tasks.findDueReactions(Instant.now(), batchSize)) {
                    executor.vendorCall(() -> reactions.attempt(due.taskId()));
                }
            }
            if (failing.compareAndSet(true, false)) {
                LOG.info("Outbox relay works again");
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("After-answer queue full or shutting down; the rest waits for the next tick");
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("Outbox relay failed (will keep trying every tick): {}", e.toString());
            } else {
                LOG.debug("Outbox relay still failing: {}", e.toString());
            }
        }
    }
}
