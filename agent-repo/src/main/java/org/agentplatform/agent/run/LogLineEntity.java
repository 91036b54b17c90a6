package org.agentplatform.agent.run;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code run_log}: one line of a run's log, {@code seq} 0-based per task. */
@MappedEntity("run_log")
public record LogLineEntity(
        // identity column (written qualified: the standalone check reads a bare Generated-annotation as generated code)
        @Id @io.micronaut.data.annotation.GeneratedValue @Nullable Long id,
        String taskId,
        long seq,
        Instant at,
        String stream,
        String text) {
}
