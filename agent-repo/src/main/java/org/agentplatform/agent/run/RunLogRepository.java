package org.agentplatform.agent.run;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RunLogRepository extends CrudRepository<LogLineEntity, Long> {

    @Query("SELECT * FROM run_log WHERE task_id = :taskId AND seq >= :offset ORDER BY seq LIMIT :limit")
    List<LogLineEntity> page(String taskId, long offset, int limit);

    /**
     * Appends a line after the task's last one (its seq is MAX(seq) + 1, 0 for the first), in one
     * statement: a log that does not know where the task's lines end yet needs no separate look-up.
     */
    @Query("""
            INSERT INTO run_log (task_id, seq, at, stream, text)
            SELECT :taskId, COALESCE(MAX(seq), -1) + 1, :at, :stream, :text FROM run_log WHERE task_id = :taskId
            RETURNING *""")
    LogLineEntity appendAfterLast(String taskId, Instant at, String stream, String text);
}
