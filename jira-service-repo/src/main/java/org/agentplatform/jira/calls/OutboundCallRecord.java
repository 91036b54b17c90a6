package org.agentplatform.jira.calls;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * One outbound HTTP request to Jira (retries included), or one that dry-run pretended to send.
 *
 * <p>{@code outcome} is {@code in_flight} while the request runs, then {@code succeeded} or
 * {@code failed}. A succeeded row with an idempotency key also keeps the answer this service gave
 * ({@code responseStatus}, {@code responseBody}) so that a repeated request gets the same answer
 * without anything being sent again.
 */
@MappedEntity("outbound_call")
public record OutboundCallRecord(
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
        @Nullable String error,
        String outcome,
        @Nullable Integer responseStatus,
        @Nullable String responseBody,
        // the first try that may have reached Jira but got no answer began then (Jira may have done it)
        @Nullable Instant unansweredSince,
        Instant createdAt,
        Instant updatedAt) {

    public static final String IN_FLIGHT = "in_flight";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
