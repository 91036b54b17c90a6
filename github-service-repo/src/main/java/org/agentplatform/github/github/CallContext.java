package org.agentplatform.github.github;

import io.micronaut.core.annotation.Nullable;

/**
 * Who a GitHub call is made for: the task's correlation id and the calling service (from its service
 * token). Both are stored with every outbound call.
 */
public record CallContext(String correlationId, @Nullable String caller) {
}
