package org.agentplatform.jira.calls;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboundCallRepository extends CrudRepository<OutboundCallRecord, Long> {

    /** The live (not failed) row holding an idempotency key for an operation, if any. */
    @Query("SELECT * FROM outbound_call WHERE operation = :operation AND idempotency_key = :idempotencyKey "
            + "AND outcome <> 'failed' ORDER BY id DESC LIMIT 1")
    Optional<OutboundCallRecord> findLive(String operation, String idempotencyKey);

    @Query("UPDATE outbound_call SET url = :url, request_body = :requestBody, status_code = :statusCode, "
            + "vendor_id = :vendorId, duration_ms = :durationMs, attempts = :attempts, error = :error, outcome = :outcome, "
            + "response_status = :responseStatus, response_body = :responseBody, unanswered_since = :unansweredSince, "
            + "updated_at = :updatedAt WHERE id = :id")
    void finish(Long id, String url, @Nullable String requestBody, @Nullable Integer statusCode, @Nullable String vendorId,
                @Nullable Long durationMs, int attempts, @Nullable String error, String outcome,
                @Nullable Integer responseStatus, @Nullable String responseBody, @Nullable Instant unansweredSince,
                Instant updatedAt);

    /**
     * Gives up a stale in-flight row (its process died): the key becomes free again. Its request may
     * have reached Jira, so it counts as unanswered since it began.
     */
    @Query("UPDATE outbound_call SET outcome = 'failed', error = :error, updated_at = :now, "
            + "unanswered_since = COALESCE(unanswered_since, created_at) "
            + "WHERE id = :id AND outcome = 'in_flight' AND updated_at < :staleBefore")
    long abandon(Long id, String error, Instant now, Instant staleBefore);

    /**
     * The first of the failed calls with this key that may have been carried out by Jira without an
     * answer: when its unanswered try began.
     */
    @Query("SELECT unanswered_since FROM outbound_call WHERE operation = :operation AND idempotency_key = :idempotencyKey "
            + "AND outcome = 'failed' AND unanswered_since IS NOT NULL ORDER BY unanswered_since LIMIT 1")
    Optional<Instant> findUnansweredSince(String operation, String idempotencyKey);

    /** Which of these Jira ids are already the result of a successful call of this operation. */
    @Query("SELECT vendor_id FROM outbound_call WHERE operation = :operation AND outcome = 'succeeded' "
            + "AND vendor_id IN (:vendorIds)")
    List<String> findKnownVendorIds(String operation, Collection<String> vendorIds);

    Page<OutboundCallRecord> findAll(Pageable pageable);

    Page<OutboundCallRecord> findByCorrelationId(String correlationId, Pageable pageable);

    Page<OutboundCallRecord> findByDryRun(boolean dryRun, Pageable pageable);

    Page<OutboundCallRecord> findByCorrelationIdAndDryRun(String correlationId, boolean dryRun, Pageable pageable);
}
