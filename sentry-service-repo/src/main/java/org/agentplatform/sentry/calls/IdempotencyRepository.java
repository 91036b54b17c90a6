package org.agentplatform.sentry.calls;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface IdempotencyRepository extends CrudRepository<IdempotencyRecord, Long> {

    Optional<IdempotencyRecord> findByOperationAndIdempotencyKey(String operation, String idempotencyKey);

    @Query("""
            UPDATE idempotency_record
               SET state = 'completed', response_status = :status, response_body = :body, updated_at = :now
             WHERE id = :id""")
    long complete(long id, int status, String body, Instant now);

    /** Takes over a reservation whose holder died (not completed, not touched since {@code staleBefore}). */
    @Query("""
            UPDATE idempotency_record
               SET updated_at = :now, request_hash = :requestHash
             WHERE id = :id AND state = 'in_progress' AND updated_at < :staleBefore""")
    long takeOver(long id, String requestHash, Instant staleBefore, Instant now);

    /** Ends a reservation whose call got no answer from Sentry: the key stays, with when that began. */
    @Query("""
            UPDATE idempotency_record
               SET state = 'unanswered', unanswered_since = :since, updated_at = :now
             WHERE id = :id""")
    long markUnanswered(long id, Instant since, Instant now);

    /** Reserves an unanswered key again for one retry; 0 when another request got there first. */
    @Query("""
            UPDATE idempotency_record
               SET state = 'in_progress', request_hash = :requestHash, updated_at = :now
             WHERE id = :id AND state = 'unanswered'""")
    long claimUnanswered(long id, String requestHash, Instant now);
}
