package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;
import org.agentplatform.agent.messages.TaskQueueMessage;

/** The answer to post: its body (marker included), where (the message's source), and its keys. */
public record AnswerRequest(
        String taskId,
        TaskQueueMessage message,
        String body,
        String idempotencyKey,
        @Nullable String correlationId) {
}
