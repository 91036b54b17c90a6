package org.agentplatform.github.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import io.micronaut.data.repository.jpa.JpaSpecificationExecutor;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CallRecordRepository extends CrudRepository<CallRecord, Long>, JpaSpecificationExecutor<CallRecord> {

    /** The live (in progress or done) row holding an idempotency key for an operation. */
    Optional<CallRecord> findByOperationAndIdempotencyKeyAndStateNotEqual(String operation, String idempotencyKey, String state);

    @Query("""
        UPDATE outbound_call
           SET state = :state, status_code = :statusCode, vendor_id = :vendorId, duration_ms = :durationMs,
               attempts = :attempts, error = :error, result_json = :resultJson, completed_at = :completedAt
         WHERE id = :id""")
    void finish(long id, String state, @Nullable Integer statusCode, @Nullable String vendorId, @Nullable Long durationMs,
                int attempts, @Nullable String error, @Nullable String resultJson, Instant completedAt);

    /** Marks an in-progress row whose owner is gone (older than the lease) as failed, so its key can be used again. */
    @Query("""
        UPDATE outbound_call SET state = 'FAILED', error = :error, completed_at = now()
         WHERE id = :id AND state = 'IN_PROGRESS' AND created_at < :startedBefore""")
    int abandon(long id, Instant startedBefore, String error);

    /** The first failed call with this key that got no answer at all (GitHub may have done it all the same). */
    Optional<CallRecord> findFirstByOperationAndIdempotencyKeyAndStateAndStatusCodeIsNullOrderByCreatedAt(
        String operation, String idempotencyKey, String state);

    @Query("SELECT nextval('dry_run_vendor_id_seq')")
    long nextDryRunId();
}
