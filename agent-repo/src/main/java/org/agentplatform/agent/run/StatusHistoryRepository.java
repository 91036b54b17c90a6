package org.agentplatform.agent.run;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface StatusHistoryRepository extends CrudRepository<StatusChangeEntity, Long> {
    List<StatusChangeEntity> findByTaskIdOrderById(String taskId);
}
