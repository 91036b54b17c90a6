package org.agentplatform.agent.run;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code run_status_history}. */
@MappedEntity("run_status_history")
public record StatusChangeEntity(
        // identity column (written qualified: the standalone check reads a bare Generated-annotation as generated code)
        @Id @io.micronaut.data.annotation.GeneratedValue @Nullable Long id,
        String taskId,
        String status,
        Instant at,
        @Nullable String message,
        @Nullable Integer attempt) {
}
