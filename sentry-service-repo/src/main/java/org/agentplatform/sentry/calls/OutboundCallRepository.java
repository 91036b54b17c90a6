package org.agentplatform.sentry.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboundCallRepository extends CrudRepository<OutboundCallRecord, Long> {

    /** Newest first, optionally only one correlation id and/or only (non-)dry-run calls. */
    @Query(value = """
            SELECT * FROM outbound_call
            WHERE (CAST(:correlationId AS TEXT) IS NULL OR correlation_id = :correlationId)
              AND (CAST(:dryRun AS BOOLEAN) IS NULL OR dry_run = :dryRun)
            ORDER BY created_at DESC, id DESC""",
            countQuery = """
            SELECT COUNT(*) FROM outbound_call
            WHERE (CAST(:correlationId AS TEXT) IS NULL OR correlation_id = :correlationId)
              AND (CAST(:dryRun AS BOOLEAN) IS NULL OR dry_run = :dryRun)""")
    Page<OutboundCallRecord> search(@Nullable String correlationId, @Nullable Boolean dryRun, Pageable pageable);
}
