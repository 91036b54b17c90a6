package org.agentplatform.sentry.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One row of the outbound-call log: a call made (or, in dry-run, not made) to Sentry. */
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
        @Nullable String correlationId,
        @Nullable String error,
        @Nullable String responseBody,
        Instant createdAt) {
}
