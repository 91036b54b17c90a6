package org.agentplatform.sentry.calls;

import io.micronaut.core.annotation.Nullable;

/** Why an outbound call is made: the API operation, its Idempotency-Key and correlation id. */
public record CallContext(String operation, @Nullable String idempotencyKey, @Nullable String correlationId) {
}
