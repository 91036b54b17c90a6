package org.agentplatform.agent.progress;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code progress_messages}: where a task's progress message is, and what it says. */
@MappedEntity("progress_messages")
public record ProgressMessageEntity(
        @Id String taskId,
        String vendor,
        String ref,
        String state,
        @Nullable String text,
        int edits,
        Instant createdAt,
        Instant updatedAt) {

    public static final String OPEN = "open";
    public static final String FINAL = "final";
}
