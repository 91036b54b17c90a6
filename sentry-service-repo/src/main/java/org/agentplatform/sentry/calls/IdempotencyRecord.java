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
        Instant updatedAt) {

    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";

    public boolean isCompleted() {
        return COMPLETED.equals(state);
    }
}
