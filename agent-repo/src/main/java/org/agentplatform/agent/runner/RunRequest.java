package org.agentplatform.agent.runner;

import io.micronaut.core.annotation.Nullable;
import org.agentplatform.agent.messages.TaskQueueMessage;

import java.math.BigDecimal;
import java.time.Duration;

/** What a runner gets: the task's input, model and limits (from the message, or the defaults). */
public record RunRequest(
        String taskId,
        String input,
        String model,
        @Nullable String correlationId,
        Duration timeout,
        BigDecimal maxCostUsd,
        int attempt,
        TaskQueueMessage message) {
}
