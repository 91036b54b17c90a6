package org.agentplatform.agent.run;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RunLogRepository extends CrudRepository<LogLineEntity, Long> {

    @Query("SELECT * FROM run_log WHERE task_id = :taskId AND seq >= :offset ORDER BY seq LIMIT :limit")
    List<LogLineEntity> page(String taskId, long offset, int limit);

    @Query("SELECT COALESCE(MAX(seq), -1) FROM run_log WHERE task_id = :taskId")
    long maxSeq(String taskId);
}
