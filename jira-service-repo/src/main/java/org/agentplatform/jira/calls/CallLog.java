package org.agentplatform.jira.calls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.agentplatform.jira.web.ApiProblem;
import org.agentplatform.jira.web.ResponseHints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every outbound call and implements {@code Idempotency-Key}.
 *
 * <p>A call row is inserted ({@code in_flight}) before anything is sent and finished afterwards.
 * With an idempotency key, that insert is the lock: a partial unique index allows one live row per
 * (operation, key). A second request with the same key gets the stored answer of the first
 * (replayed, nothing sent); while the first is still running it waits up to
 * {@code IDEMPOTENCY_WAIT} and then gets 409. A failed call frees the key. The same key with a
 * different request is a 409 too. A failed call whose request may have reached Jira unanswered
 * keeps when that was ({@code unanswered_since}); a retry with its key gets that time in
 * {@link Call#unansweredSince()} so that it can look on Jira before sending again.
 */
@Singleton
public class CallLog {

    private static final Logger LOG = LoggerFactory.getLogger(CallLog.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final OutboundCallRepository repository;
    private final JsonMapper json;
    private final Duration waitForInFlight;
    private final Duration staleAfter;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public CallLog(OutboundCallRepository repository, JsonMapper json,
                   @Value("${idempotency.wait:10s}") Duration waitForInFlight,
                   @Value("${idempotency.stale-after:5m}") Duration staleAfter,
                   io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.repository = repository;
        this.json = json;
        this.waitForInFlight = waitForInFlight;
        this.staleAfter = staleAfter;
    }

    /** What is about to be sent (or pretended to be sent). */
    public record Request(String operation, String method, String url, String requestBody, boolean dryRun,
                          String idempotencyKey, String correlationId, String fingerprint) {
    }

    /**
     * The running call; the action may refine url and body (e.g. once a transition id is known) and
     * says when an attempt went unanswered ({@link #unansweredSince(Instant)}).
     */
    public static final class Call {
        private final long id;
        private String url;
        private String requestBody;
        private Instant unansweredSince;

        Call(long id, String url, String requestBody, Instant unansweredSince) {
            this.id = id;
            this.url = url;
            this.requestBody = requestBody;
            this.unansweredSince = unansweredSince;
        }

        public long id() {
            return id;
        }

        public void url(String url) {
            this.url = url;
        }

        public void requestBody(String requestBody) {
            this.requestBody = requestBody;
        }

        /**
         * When an earlier call with the same Idempotency-Key, or an attempt of this one, may have
         * reached Jira without an answer (null if never): Jira may have carried it out then.
         */
        public Instant unansweredSince() {
            return unansweredSince;
        }

        /** Records an unanswered attempt (the earliest one is kept). */
        public void unansweredSince(Instant since) {
            if (since != null && (unansweredSince == null || since.isBefore(unansweredSince))) {
                unansweredSince = since;
            }
        }
    }

    /** What the action achieved: the answer for our caller plus what Jira said. */
    public record Outcome<T>(T value, Integer statusCode, String vendorId, int attempts, long durationMs) {
    }

    /** Runs an action as one recorded outbound call, honouring the request's idempotency key. */
    public <T> T run(Request request, Class<T> answerType, Function<Call, Outcome<T>> action) {
        if (request.idempotencyKey() == null) {
            return execute(insert(request).orElseThrow(), request, action);
        }
        long deadline = System.nanoTime() + waitForInFlight.toNanos();
        while (true) {
            Optional<OutboundCallRecord> claimed = insert(request);
            if (claimed.isPresent()) {
                return execute(claimed.get(), request, action);
            }
            Optional<OutboundCallRecord> live = repository.findLive(request.operation(), request.idempotencyKey());
            if (live.isEmpty()) {
                continue; // the holder failed in between: try to claim again
            }
            OutboundCallRecord first = live.get();
            if (first.requestHash() != null && !first.requestHash().equals(request.fingerprint())) {
                throw new ApiProblem(HttpStatus.CONFLICT, "Idempotency-Key '" + request.idempotencyKey()
                        + "' was already used for a different " + request.operation() + " request");
            }
            if (OutboundCallRecord.SUCCEEDED.equals(first.outcome())) {
                LOG.info("Idempotency-Key {} seen before for {}: replaying the answer of call {}, nothing sent",
                        request.idempotencyKey(), request.operation(), first.id());
                ResponseHints.replayed();
                if (first.dryRun()) {
                    ResponseHints.dryRun();
                }
                return read(first.responseBody(), answerType);
            }
            Instant now = Instant.now();
            if (repository.abandon(first.id(), "abandoned: still in flight after " + staleAfter, now, now.minus(staleAfter)) > 0) {
                LOG.warn("Call {} with Idempotency-Key {} was in flight for more than {}: abandoned", first.id(),
                        request.idempotencyKey(), staleAfter);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new ApiProblem(HttpStatus.CONFLICT, "A " + request.operation() + " request with Idempotency-Key '"
                        + request.idempotencyKey() + "' is still in progress; retry later")
                        .header("Retry-After", "1");
            }
            pause();
        }
    }

    private <T> T execute(OutboundCallRecord row, Request request, Function<Call, Outcome<T>> action) {
        Instant unanswered = request.idempotencyKey() == null ? null
                : repository.findUnansweredSince(request.operation(), request.idempotencyKey()).orElse(null);
        Call call = new Call(row.id(), row.url(), row.requestBody(), unanswered);
        Outcome<T> outcome;
        long started = System.nanoTime();
        try {
            outcome = action.apply(call);
        } catch (ApiProblem problem) {
            measure(request.operation(), problem.getVendorStatus() != null ? problem.getVendorStatus().toString() : "failed", started);
            finish(call, problem.getVendorStatus(), null, problem.getDurationMs(), problem.getAttempts(),
                    problem.getStatus().getCode() + " " + problem.getDetail(), OutboundCallRecord.FAILED, null, null);
            throw problem;
        } catch (RuntimeException e) {
            measure(request.operation(), "failed", started);
            finish(call, null, null, null, 0, e.toString(), OutboundCallRecord.FAILED, null, null);
            throw e;
        }
        measure(request.operation(), request.dryRun() ? "dry_run"
                : outcome.statusCode() != null ? outcome.statusCode().toString() : "succeeded", started);
        String answer = write(outcome.value());
        finish(call, outcome.statusCode(), outcome.vendorId(), outcome.durationMs(), outcome.attempts(), null,
                OutboundCallRecord.SUCCEEDED, 200, answer);
        if (request.dryRun()) {
            ResponseHints.dryRun();
        }
        return outcome.value();
    }

    /** Outbound calls by operation and outcome (HTTP status, dry_run, failed) for /prometheus. */
    private void measure(String operation, String outcome, long started) {
        io.micrometer.core.instrument.Timer.builder("jira.calls")
                .description("Calls to the Jira API by operation and outcome (HTTP status, dry_run, failed)")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(meters)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void finish(Call call, Integer statusCode, String vendorId, Long durationMs, int attempts, String error,
                        String outcome, Integer responseStatus, String responseBody) {
        repository.finish(call.id, call.url, call.requestBody, statusCode, vendorId, durationMs, attempts,
                truncate(error, 4000), outcome, responseStatus, responseBody, call.unansweredSince, Instant.now());
    }

    /** Inserts the in-flight row; empty when the idempotency key is already live. */
    private Optional<OutboundCallRecord> insert(Request r) {
        Instant now = Instant.now();
        OutboundCallRecord row = new OutboundCallRecord(null, r.operation(), r.method(), r.url(), r.requestBody(),
                null, null, null, r.dryRun(), 0, r.idempotencyKey(), r.idempotencyKey() == null ? null : r.fingerprint(),
                r.correlationId(), null, OutboundCallRecord.IN_FLIGHT, null, null, null, now, now);
        try {
            return Optional.of(repository.save(row));
        } catch (RuntimeException e) {
            if (r.idempotencyKey() != null && isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while waiting for a duplicate request");
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored answer is not a " + type.getSimpleName(), e);
        }
    }

    /** Which of these Jira ids some successful call of this operation already answered (they are not lost ones). */
    public Set<String> knownVendorIds(String operation, Collection<String> vendorIds) {
        return vendorIds.isEmpty() ? Set.of()
                : new HashSet<>(repository.findKnownVendorIds(operation, vendorIds));
    }

    /** SHA-256 over the parts that make two requests "the same". */
    public static String fingerprint(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update((part == null ? "\u0000" : part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
