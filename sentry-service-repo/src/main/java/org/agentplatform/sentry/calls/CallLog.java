package org.agentplatform.sentry.calls;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import jakarta.inject.Singleton;
import org.agentplatform.sentry.model.CallsPage;
import org.agentplatform.sentry.model.OutboundCall;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The outbound-call log: writes one row per call to Sentry and pages through them. */
@Singleton
public class CallLog {

    static final int MAX_BODY = 20_000;

    private final OutboundCallRepository repository;
    private final MeterRegistry meters;

    public CallLog(OutboundCallRepository repository, MeterRegistry meters) {
        this.repository = repository;
        this.meters = meters;
    }

    /** What one finished (or dry-run) call looked like. */
    public record Entry(CallContext context, String method, String url, @Nullable String requestBody,
                       @Nullable Integer statusCode, @Nullable String vendorId, @Nullable Long durationMs,
                       boolean dryRun, int attempts, @Nullable String error, @Nullable String responseBody) {
    }

    public OutboundCallRecord record(Entry e) {
        // every call is logged here, so this is also where /prometheus learns of it
        Timer.builder("sentry.calls")
                .description("Calls to the Sentry API by operation and outcome (HTTP status, dry_run, unreachable)")
                .tag("operation", e.context().operation())
                .tag("outcome", e.dryRun() ? "dry_run" : e.statusCode() != null ? e.statusCode().toString() : "unreachable")
                .register(meters)
                .record(java.time.Duration.ofMillis(e.durationMs() == null ? 0 : e.durationMs()));
        return repository.save(new OutboundCallRecord(null, e.context().operation(), e.method(), e.url(),
                clip(e.requestBody()), e.statusCode(), clip(e.vendorId(), 200), e.durationMs(), e.dryRun(),
                e.attempts(), e.context().idempotencyKey(), e.context().correlationId(), clip(e.error()),
                clip(e.responseBody()), Instant.now()));
    }

    public CallsPage page(int page, int size, @Nullable String correlationId, @Nullable Boolean dryRun) {
        Page<OutboundCallRecord> result = repository.search(correlationId, dryRun, Pageable.from(page, size));
        List<OutboundCall> items = result.getContent().stream().map(CallLog::toApi).toList();
        return new CallsPage(items, page, size, result.getTotalSize());
    }

    static OutboundCall toApi(OutboundCallRecord r) {
        OutboundCall call = new OutboundCall(r.id(), r.operation(), r.method(), r.url(), r.dryRun(), r.attempts(),
                r.createdAt().atOffset(ZoneOffset.UTC));
        call.setRequestBody(r.requestBody());
        call.setStatusCode(r.statusCode());
        call.setVendorId(r.vendorId());
        call.setDurationMs(r.durationMs());
        call.setIdempotencyKey(r.idempotencyKey());
        call.setCorrelationId(r.correlationId());
        call.setError(r.error());
        return call;
    }

    @Nullable
    static String clip(@Nullable String s) {
        return clip(s, MAX_BODY);
    }

    @Nullable
    static String clip(@Nullable String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, Math.max(0, max - 12)) + "…[truncated]";
    }
}
