package org.agentplatform.gateway.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import org.agentplatform.gateway.messages.TaskQueueMessage;

import java.time.Instant;

/** A row of {@code task}: the accepted task, its outbox state and its reaction state. */
@MappedEntity("task")
public record TaskRow(
        @Id String taskId,
        String status,
        @TypeDef(type = DataType.JSON) TaskQueueMessage message,
        int priority,
        String correlationId,
        @Nullable String idempotencyKey,
        Instant createdAt,
        @Nullable Instant enqueuedAt,
        @Nullable String streamEntryId,
        int enqueueAttempts,
        @Nullable String enqueueError,
        @Nullable String reactionKey,
        @Nullable String reactionState,
        int reactionAttempts,
        @Nullable Instant reactionNextAt,
        @Nullable String reactionError,
        @Nullable String enrichState,
        int enrichAttempts,
        @Nullable Instant enrichNextAt,
        @Nullable String enrichError) {

    public static final String ACCEPTED = "accepted";
    public static final String QUEUED = "queued";

    public static final String REACTION_PENDING = "pending";
    public static final String REACTION_DONE = "done";
    public static final String REACTION_FAILED = "failed";

    /** Enrichment states ({@code enrich_state}); NULL = the task needs none. */
    public static final String ENRICH_PENDING = "pending";
    public static final String ENRICH_DONE = "done";
    public static final String ENRICH_FAILED = "failed";

    /** A new, not yet enqueued task; {@code reactionKey} non-null asks for the eyes reaction. */
    public static TaskRow accepted(TaskQueueMessage message, @Nullable String idempotencyKey,
                                   @Nullable String reactionKey, Instant now) {
        return accepted(message, idempotencyKey, reactionKey, false, now);
    }

    /**
     * A new, not yet enqueued task. {@code enrich}: it must be enriched (Sentry: the stack trace)
     * before the outbox may push it.
     */
    public static TaskRow accepted(TaskQueueMessage message, @Nullable String idempotencyKey,
                                   @Nullable String reactionKey, boolean enrich, Instant now) {
        return new TaskRow(message.getTaskId(), ACCEPTED, message,
                message.getPriority() == null ? 0 : Math.toIntExact(message.getPriority()),
                message.getCorrelationId(), idempotencyKey, now, null, null, 0, null,
                reactionKey, reactionKey == null ? null : REACTION_PENDING, 0,
                reactionKey == null ? null : now, null,
                enrich ? ENRICH_PENDING : null, 0, enrich ? now : null, null);
    }
}
