package org.agentplatform.slack.calls;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.PageableRepository;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboundCallRepository extends PageableRepository<OutboundCallRow, Long> {

    Page<OutboundCallRow> findByCorrelationId(String correlationId, Pageable pageable);

    Page<OutboundCallRow> findByDryRun(boolean dryRun, Pageable pageable);

    Page<OutboundCallRow> findByCorrelationIdAndDryRun(String correlationId, boolean dryRun, Pageable pageable);

    /** The live (in flight or succeeded) call holding an Idempotency-Key, if any. */
    Optional<OutboundCallRow> findFirstByOperationAndIdempotencyKeyAndStateNotEqual(String operation, String idempotencyKey,
                                                                                    String state);

    /** The earliest failed call with an Idempotency-Key whose attempt may have reached Slack unanswered. */
    Optional<OutboundCallRow> findFirstByOperationAndIdempotencyKeyAndStateAndUnansweredSinceIsNotNullOrderByUnansweredSince(
            String operation, String idempotencyKey, String state);
}
