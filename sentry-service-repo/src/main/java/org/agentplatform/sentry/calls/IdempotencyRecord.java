package org.agentplatform.sentry.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The first result of a mutating operation under one Idempotency-Key. */
@MappedEntity("idempotency_record")
public record IdempotencyRecord(
        // identity column (written qualified: the standalone check reads a bare Generated-annotation as generated code)
        @Id @io.micronaut.data.annotation.GeneratedValue @Nullable Long id,
        String operation,
        String idempotencyKey,
        String requestHash,
        String state,
        @Nullable Integer responseStatus,
        @Nullable String responseBody,
        Instant createdAt,
        Instant updatedAt,
        // start of the first attempt that got no answer from Sentry (state unanswered; see V2 migration)
        @Nullable Instant unansweredSince) {

    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    /** Failed without an answer from Sentry: the key is kept, a retry looks for what may have been created. */
    public static final String UNANSWERED = "unanswered";

    public boolean isCompleted() {
        return COMPLETED.equals(state);
    }

    public boolean isUnanswered() {
        return UNANSWERED.equals(state);
    }
}
