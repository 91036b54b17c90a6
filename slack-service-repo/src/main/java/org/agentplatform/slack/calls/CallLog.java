package org.agentplatform.slack.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;
import org.agentplatform.slack.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The outbound-call log and the {@code Idempotency-Key} ledger in one table: a call is written
 * "in flight" before anything is sent, so a second request with the same key (even a concurrent
 * one) finds it, waits for it, and gets the first answer back instead of calling Slack again.
 */
@Singleton
public class CallLog {

    private static final Logger LOG = LoggerFactory.getLogger(CallLog.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final long POLL_MILLIS = 50;

    /** What the caller of {@link #begin} has to do next. */
    public sealed interface Claim permits Proceed, Replay {
    }

    /** Go on: make the call, then {@link #succeeded} or {@link #failed} this row. */
    public record Proceed(OutboundCallRow row) implements Claim {
    }

    /** Do nothing: answer what the first request with this key was answered. */
    public record Replay(OutboundCallRow original, int status, String body) implements Claim {
    }

    /** A call about to be made. */
    public record NewCall(String operation, String method, String url, String requestBody, boolean dryRun,
                          @Nullable String idempotencyKey, @Nullable String correlationId) {
    }

    private final OutboundCallRepository repository;
    private final SlackSettings settings;

    public CallLog(OutboundCallRepository repository, SlackSettings settings) {
        this.repository = repository;
        this.settings = settings;
    }

    public Claim begin(NewCall call) {
        String hash = sha256(call.operation() + "\n" + call.requestBody());
        OutboundCallRow fresh = new OutboundCallRow(null, call.operation(), call.method(), call.url(), call.requestBody(),
                null, null, null, call.dryRun(), 0, call.idempotencyKey(), call.correlationId(), null,
                OutboundCallRow.IN_FLIGHT, null, null, hash, Instant.now(), null, null);
        if (call.idempotencyKey() == null) {
            return new Proceed(repository.save(fresh));
        }
        long deadline = System.nanoTime() + settings.getIdempotencyWait().toNanos();
        while (true) {
            try {
                return new Proceed(repository.save(fresh));
            } catch (DataAccessException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
            }
            // someone holds the key: wait for their outcome
            Optional<OutboundCallRow> holder = repository.findFirstByOperationAndIdempotencyKeyAndStateNotEqual(
                    call.operation(), call.idempotencyKey(), OutboundCallRow.FAILED);
            if (holder.isEmpty()) {
                continue; // it failed (or was released) in between: try to take the key ourselves
            }
            OutboundCallRow first = holder.get();
            if (OutboundCallRow.SUCCEEDED.equals(first.state()) && first.responseBody() != null) {
                if (!hash.equals(first.requestHash())) {
                    LOG.warn("Idempotency-Key {} of {} was first used for a different request (call {}): answering the first result",
                            call.idempotencyKey(), call.operation(), first.id());
                } else {
                    LOG.info("Idempotency-Key {} of {}: replaying call {}", call.idempotencyKey(), call.operation(), first.id());
                }
                return new Replay(first, first.responseStatus() == null ? 200 : first.responseStatus(), first.responseBody());
            }
            if (first.createdAt().plus(settings.getInFlightStaleAfter()).isBefore(Instant.now())) {
                LOG.warn("Call {} held Idempotency-Key {} since {} without finishing: taking it as abandoned",
                        first.id(), call.idempotencyKey(), first.createdAt());
                // its process died mid-call: what it sent may have reached Slack
                repository.update(first.complete(OutboundCallRow.FAILED, first.statusCode(), first.vendorId(),
                        first.durationMs(), first.attempts(), "abandoned: never completed", null, null,
                        first.dryRun() ? null : first.createdAt()));
                continue;
            }
            if (System.nanoTime() > deadline) {
                // Retry-After tells a caller (the agent) that this conflict passes: the same call, later, gets the result
                throw new ProblemException(HttpStatus.CONFLICT, "A request with Idempotency-Key " + call.idempotencyKey()
                        + " is still in progress (call " + first.id() + "); retry later to get its result", null,
                        java.util.List.of(), java.util.Map.of("Retry-After", "1"));
            }
            sleep(POLL_MILLIS);
        }
    }

    public OutboundCallRow succeeded(OutboundCallRow row, @Nullable Integer statusCode, @Nullable String vendorId,
                                     long durationMs, int attempts, int responseStatus, String responseBody,
                                     @Nullable Instant unansweredSince) {
        return repository.update(row.complete(OutboundCallRow.SUCCEEDED, statusCode, vendorId, durationMs, attempts,
                null, responseStatus, responseBody, unansweredSince));
    }

    /** @param unansweredSince when an attempt started that may have reached Slack without an answer */
    public OutboundCallRow failed(OutboundCallRow row, @Nullable Integer statusCode, long durationMs, int attempts,
                                  String error, int responseStatus, @Nullable String responseBody,
                                  @Nullable Instant unansweredSince) {
        return repository.update(row.complete(OutboundCallRow.FAILED, statusCode, null, durationMs, attempts,
                error, responseStatus, responseBody, unansweredSince));
    }

    /**
     * When an earlier call with this key failed after an attempt that may have reached Slack without an
     * answer, the time that attempt started: Slack may have carried it out, so look before sending again.
     */
    public Optional<Instant> unansweredSince(String operation, String idempotencyKey) {
        return repository.findFirstByOperationAndIdempotencyKeyAndStateAndUnansweredSinceIsNotNullOrderByUnansweredSince(
                operation, idempotencyKey, OutboundCallRow.FAILED).map(OutboundCallRow::unansweredSince);
    }

    /** Newest first, optionally only one correlation id and/or only (non-)dry-run calls. */
    public Page<OutboundCallRow> list(int page, int size, @Nullable String correlationId, @Nullable Boolean dryRun) {
        Pageable pageable = Pageable.from(page, size, Sort.of(Sort.Order.desc("id")));
        if (correlationId != null && dryRun != null) {
            return repository.findByCorrelationIdAndDryRun(correlationId, dryRun, pageable);
        }
        if (correlationId != null) {
            return repository.findByCorrelationId(correlationId, pageable);
        }
        if (dryRun != null) {
            return repository.findByDryRun(dryRun, pageable);
        }
        return repository.findAll(pageable);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.of(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while waiting for an earlier request");
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
