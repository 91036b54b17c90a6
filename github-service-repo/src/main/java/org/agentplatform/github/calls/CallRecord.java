package org.agentplatform.github.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * One row of the outbound-call log ({@code outbound_call}): a call to GitHub that was made, or in
 * dry-run would have been made. Rows with an idempotency key are also the idempotency store.
 */
@MappedEntity("outbound_call")
public record CallRecord(
    // identity column (written qualified: the standalone check reads a bare Generated-annotation as generated code)
    @Id @io.micronaut.data.annotation.GeneratedValue @Nullable Long id,
    String operation,
    String method,
    String url,
    @Nullable String requestBody,
    @Nullable Integer statusCode,
    @Nullable String vendorId,
    @Nullable Long durationMs,
    boolean dryRun,
    int attempts,
    @Nullable String idempotencyKey,
    @Nullable String requestHash,
    @Nullable String correlationId,
    @Nullable String caller,
    @Nullable String error,
    String state,
    @Nullable String resultJson,
    Instant createdAt,
    @Nullable Instant completedAt) {

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    /** A new row for a call about to be made. */
    public static CallRecord start(String operation, String method, String url, @Nullable String requestBody, boolean dryRun,
                                   @Nullable String idempotencyKey, @Nullable String requestHash,
                                   @Nullable String correlationId, @Nullable String caller) {
        return new CallRecord(null, operation, method, url, requestBody, null, null, null, dryRun, 0,
            idempotencyKey, requestHash, correlationId, caller, null, IN_PROGRESS, null, Instant.now(), null);
    }
}
