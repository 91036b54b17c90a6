package org.agentplatform.gateway.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskRepository extends CrudRepository<TaskRow, String> {

    Optional<TaskRow> findByIdempotencyKey(String idempotencyKey);

    long countByEnqueuedAtIsNull();

    /** The outbox, oldest first, locked so that concurrent relays (other instances) skip these rows. */
    @Query(value = "SELECT * FROM task WHERE enqueued_at IS NULL ORDER BY created_at, task_id"
            + " LIMIT :limit FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<TaskRow> lockUnqueued(int limit);

    /** One outbox row, if it is still not enqueued and nobody else is enqueueing it right now. */
    @Query(value = "SELECT * FROM task WHERE task_id = :taskId AND enqueued_at IS NULL"
            + " FOR UPDATE SKIP LOCKED", nativeQuery = true)
    Optional<TaskRow> lockUnqueuedById(String taskId);

    @Query(value = "UPDATE task SET status = 'queued', enqueued_at = :enqueuedAt, stream_entry_id = :entryId,"
            + " enqueue_attempts = enqueue_attempts + 1, enqueue_error = NULL WHERE task_id = :taskId",
            nativeQuery = true)
    void markEnqueued(String taskId, Instant enqueuedAt, String entryId);

    @Query(value = "UPDATE task SET enqueue_attempts = enqueue_attempts + 1, enqueue_error = :error"
            + " WHERE task_id = :taskId", nativeQuery = true)
    void markEnqueueFailed(String taskId, String error);

    /**
     * Takes the reaction of a task for one attempt if it is due: counts the attempt and leases it
     * until {@code leaseUntil} so that the relay does not start a second one meanwhile.
     *
     * @return 1 when this caller got it
     */
    @Query(value = "UPDATE task SET reaction_attempts = reaction_attempts + 1, reaction_next_at = :leaseUntil"
            + " WHERE task_id = :taskId AND reaction_state = 'pending' AND reaction_next_at <= :now",
            nativeQuery = true)
    long claimReaction(String taskId, Instant now, Instant leaseUntil);

    @Query(value = "SELECT * FROM task WHERE reaction_state = 'pending' AND reaction_next_at <= :now"
            + " ORDER BY reaction_next_at LIMIT :limit", nativeQuery = true)
    List<TaskRow> findDueReactions(Instant now, int limit);

    @Query(value = "UPDATE task SET reaction_state = :state, reaction_next_at = :nextAt, reaction_error = :error"
            + " WHERE task_id = :taskId", nativeQuery = true)
    void updateReaction(String taskId, String state, @Nullable Instant nextAt, @Nullable String error);
}
