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

    /** A task still being enriched (Sentry stack trace) is not pushed yet; the enrichment pushes it. */
    String NOT_WAITING_FOR_ENRICHMENT = "(enrich_state IS NULL OR enrich_state <> 'pending')";

    Optional<TaskRow> findByIdempotencyKey(String idempotencyKey);

    long countByEnqueuedAtIsNull();

    /** The outbox, oldest first, locked so that concurrent relays (other instances) skip these rows. */
    @Query(value = "SELECT * FROM task WHERE enqueued_at IS NULL AND " + NOT_WAITING_FOR_ENRICHMENT
            + " AND (enqueue_attempts > 0 OR created_at <= :settledBefore)"
            + " ORDER BY created_at, task_id LIMIT :limit FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<TaskRow> lockUnqueued(Instant settledBefore, int limit);

    /** One outbox row, if it is still not enqueued and nobody else is enqueueing it right now. */
    @Query(value = "SELECT * FROM task WHERE task_id = :taskId AND enqueued_at IS NULL AND "
            + NOT_WAITING_FOR_ENRICHMENT + " FOR UPDATE SKIP LOCKED", nativeQuery = true)
    Optional<TaskRow> lockUnqueuedById(String taskId);

    @Query(value = "UPDATE task SET status = 'queued', enqueued_at = :enqueuedAt, stream_entry_id = :entryId,"
            + " enqueue_attempts = enqueue_attempts + 1, enqueue_error = NULL WHERE task_id = :taskId",
            nativeQuery = true)
    void markEnqueued(String taskId, Instant enqueuedAt, String entryId);

    /** The push right after the answer: marks it queued unless someone else did (one statement, no lock). */
    @Query(value = "UPDATE task SET status = 'queued', enqueued_at = :enqueuedAt, stream_entry_id = :entryId,"
            + " enqueue_attempts = enqueue_attempts + 1, enqueue_error = NULL WHERE task_id = :taskId"
            + " AND enqueued_at IS NULL", nativeQuery = true)
    long markEnqueuedIfNot(String taskId, Instant enqueuedAt, String entryId);

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

    // ---- enrichment (Sentry tasks: the stack trace is added before the task is queued) ----------

    /** Like {@link #claimReaction}: one attempt, leased until {@code leaseUntil}; 1 when this caller got it. */
    @Query(value = "UPDATE task SET enrich_attempts = enrich_attempts + 1, enrich_next_at = :leaseUntil"
            + " WHERE task_id = :taskId AND enrich_state = 'pending' AND enrich_next_at <= :now",
            nativeQuery = true)
    long claimEnrichment(String taskId, Instant now, Instant leaseUntil);

    @Query(value = "SELECT * FROM task WHERE enrich_state = 'pending' AND enrich_next_at <= :now"
            + " ORDER BY enrich_next_at LIMIT :limit", nativeQuery = true)
    List<TaskRow> findDueEnrichments(Instant now, int limit);

    /** Another attempt later. */
    @Query(value = "UPDATE task SET enrich_next_at = :nextAt, enrich_error = :error WHERE task_id = :taskId"
            + " AND enrich_state = 'pending'", nativeQuery = true)
    void retryEnrichment(String taskId, Instant nextAt, String error);

    /** The final message (enriched, or with a note that it could not be) and the end state. */
    @Query(value = "UPDATE task SET message = CAST(:message AS JSONB), enrich_state = :state, enrich_next_at = NULL,"
            + " enrich_error = :error WHERE task_id = :taskId AND enrich_state = 'pending'", nativeQuery = true)
    long finishEnrichment(String taskId, String message, String state, @Nullable String error);

    // ---- at most one task per key within a window --------------------------------------------

    /**
     * Claims {@code key} for {@code taskId} until {@code expiresAt} unless a live claim exists.
     * A concurrent claimer blocks on the row until this transaction ends, then sees it.
     *
     * @return 1 when claimed, 0 when another task holds the key
     */
    @Query(value = "INSERT INTO task_dedupe (dedupe_key, task_id, expires_at) VALUES (:key, :taskId, :expiresAt)"
            + " ON CONFLICT (dedupe_key) DO UPDATE SET task_id = EXCLUDED.task_id, expires_at = EXCLUDED.expires_at"
            + " WHERE task_dedupe.expires_at <= :now", nativeQuery = true)
    long claimDedupeKey(String key, String taskId, Instant now, Instant expiresAt);

    @Query(value = "SELECT task_id FROM task_dedupe WHERE dedupe_key = :key", nativeQuery = true)
    Optional<String> findDedupeHolder(String key);
}
