package org.agentplatform.agent.progress;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;

/** The progress message of each task. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProgressMessageRepository extends CrudRepository<ProgressMessageEntity, String> {

    /** Remembers the message (again: the vendor service returned the same one for the same key). */
    @Query("""
            INSERT INTO progress_messages (task_id, vendor, ref, state, text, edits, created_at, updated_at)
            VALUES (:taskId, :vendor, :ref, 'open', :text, 0, :now, :now)
            ON CONFLICT (task_id) DO UPDATE SET ref = EXCLUDED.ref, state = 'open', text = EXCLUDED.text,
                   updated_at = EXCLUDED.updated_at""")
    int remember(String taskId, String vendor, String ref, String text, Instant now);

    @Query("""
            UPDATE progress_messages SET text = :text, state = :state, edits = edits + 1, updated_at = :now
            WHERE task_id = :taskId""")
    int edited(String taskId, String text, String state, Instant now);
}
