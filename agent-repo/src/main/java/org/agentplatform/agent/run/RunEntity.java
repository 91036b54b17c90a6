package org.agentplatform.agent.run;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.math.BigDecimal;
import java.time.Instant;

/** A row of {@code runs}: one task as the agent runs it. */
@MappedEntity("runs")
public record RunEntity(
        @Id String taskId,
        String status,
        String sourceVendor,
        @Nullable String sourceJson,
        String messageJson,
        @Nullable String sessionId,
        String userId,
        String inputMessage,
        String model,
        String agentType,
        @Nullable String runner,
        int priority,
        int attempts,
        int roundAttempts,
        @Nullable String correlationId,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Long durationMs,
        BigDecimal costUsd,
        @Nullable String result,
        @Nullable String error,
        boolean answerPosted,
        String answerState,
        int answerRounds,
        @Nullable String answerRef,
        boolean cancelRequested,
        @Nullable String currentEntry,
        @Nullable Instant retryAt,
        @Nullable String worker,
        Instant updatedAt) {

    public boolean finished() {
        return RunStatus.FINISHED.contains(status);
    }
}
