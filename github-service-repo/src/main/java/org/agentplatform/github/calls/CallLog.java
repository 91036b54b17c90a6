package org.agentplatform.github.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.data.repository.jpa.criteria.PredicateSpecification;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.agentplatform.github.github.GithubConfig;
import org.agentplatform.github.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.List;

/**
 * The outbound-call log and idempotency store. Every call to GitHub gets a row before it is made and is
 * completed afterwards; a row with an {@code Idempotency-Key} is claimed through the partial unique index
 * {@code (operation, idempotency_key) WHERE state <> 'FAILED'}, which is what makes concurrent duplicates safe
 * across threads and across replicas.
 */
@Singleton
public class CallLog {

    private static final Logger LOG = LoggerFactory.getLogger(CallLog.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int MAX_ERROR = 2000;

    /** The outcome of claiming an idempotency key. */
    public sealed interface Claim permits Claim.Owned, Claim.Replay {
        /** This request owns the key: make the call, then complete row {@code id}. */
        record Owned(long id) implements Claim {
        }

        /** The key already has a result: answer with it and send nothing. */
        record Replay(long id, String resultJson) implements Claim {
        }
    }

    private final CallRecordRepository repository;
    private final Duration wait;
    private final Duration lease;

    public CallLog(CallRecordRepository repository, GithubConfig config) {
        this.repository = repository;
        this.wait = config.getIdempotencyWait();
        this.lease = config.getIdempotencyLease();
    }

    /** Records a call about to be made (no idempotency key) and returns its row id. */
    public long begin(CallRecord call) {
        return repository.save(clip(call)).id();
    }

    /**
     * Claims {@code call.idempotencyKey()} for this request. The first request inserts the row and owns it; a
     * later one with the same request gets the stored result; one that arrives while the first is still
     * running waits up to {@code IDEMPOTENCY_WAIT} for it, then gets 409 with Retry-After. The same key
     * with a different request → 422. A row left in progress longer than {@code IDEMPOTENCY_LEASE} (its
     * process died) is marked failed and the key taken over.
     */
    public Claim claim(CallRecord call) {
        CallRecord row = clip(call);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return new Claim.Owned(repository.save(row).id());
            } catch (DataAccessException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
            }
            CallRecord existing = repository
                .findByOperationAndIdempotencyKeyAndStateNotEqual(row.operation(), row.idempotencyKey(), CallRecord.FAILED)
                .orElse(null);
            if (existing == null) {
                continue; // the holder failed in between: the key is free again
            }
            if (existing.requestHash() != null && !existing.requestHash().equals(row.requestHash())) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key '" + row.idempotencyKey()
                    + "' was already used for a different " + row.operation() + " request (call " + existing.id()
                    + "); use a new key for a new request");
            }
            if (CallRecord.DONE.equals(existing.state()) && existing.resultJson() != null) {
                LOG.info("Idempotency-Key {} already answered by call {}: replaying, nothing sent", row.idempotencyKey(), existing.id());
                return new Claim.Replay(existing.id(), existing.resultJson());
            }
            Instant startedBefore = Instant.now().minus(lease);
            if (existing.createdAt().isBefore(startedBefore)
                && repository.abandon(existing.id(), startedBefore, "abandoned: still in progress after " + lease) > 0) {
                LOG.warn("Call {} held Idempotency-Key {} longer than {}: taken over", existing.id(), row.idempotencyKey(), lease);
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new ApiProblem(HttpStatus.CONFLICT, "A request with Idempotency-Key '" + row.idempotencyKey()
                    + "' is still in progress (call " + existing.id() + "); retry later to get its result",
                    List.of(), Duration.ofSeconds(1));
            }
            sleep(POLL);
        }
    }

    public void succeeded(long id, @Nullable Integer statusCode, @Nullable String vendorId, long durationMs, int attempts,
                          @Nullable String resultJson) {
        repository.finish(id, CallRecord.DONE, statusCode, clip(vendorId, 64), durationMs, attempts, null, resultJson, Instant.now());
    }

    public void failed(long id, @Nullable Integer statusCode, long durationMs, int attempts, String error) {
        repository.finish(id, CallRecord.FAILED, statusCode, null, durationMs, attempts, clip(error, MAX_ERROR), null, Instant.now());
    }

    /**
     * When an earlier call with this key failed without any answer from the vendor (a timeout, a reset), the
     * time it started: the vendor may have carried it out, and a retry must look before it sends again.
     */
    public Optional<Instant> unansweredAttemptSince(String operation, String idempotencyKey) {
        return repository.findFirstByOperationAndIdempotencyKeyAndStateAndStatusCodeIsNullOrderByCreatedAt(
            operation, idempotencyKey, CallRecord.FAILED).map(CallRecord::createdAt);
    }

    public long nextDryRunId() {
        return repository.nextDryRunId();
    }

    /** One page of the log, newest first, optionally only one correlation id and/or only (non-)dry-run calls. */
    public Page<CallRecord> list(int page, int size, @Nullable String correlationId, @Nullable Boolean dryRun) {
        PredicateSpecification<CallRecord> spec = (root, cb) -> {
            var predicates = new java.util.ArrayList<jakarta.persistence.criteria.Predicate>();
            if (correlationId != null) {
                predicates.add(cb.equal(root.get("correlationId"), correlationId));
            }
            if (dryRun != null) {
                predicates.add(cb.equal(root.get("dryRun"), dryRun));
            }
            return predicates.isEmpty() ? null : cb.and(predicates.toArray(new jakarta.persistence.criteria.Predicate[0]));
        };
        return repository.findAll(spec, Pageable.from(page, size, Sort.of(Sort.Order.desc("id"))));
    }

    private static CallRecord clip(CallRecord c) {
        return new CallRecord(c.id(), clip(c.operation(), 64), c.method(), c.url(), c.requestBody(), c.statusCode(),
            clip(c.vendorId(), 64), c.durationMs(), c.dryRun(), c.attempts(), clip(c.idempotencyKey(), 200), c.requestHash(),
            clip(c.correlationId(), 64), clip(c.caller(), 64), clip(c.error(), MAX_ERROR), c.state(), c.resultJson(),
            c.createdAt(), c.completedAt());
    }

    @Nullable
    private static String clip(@Nullable String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while waiting for an earlier request with the same Idempotency-Key");
        }
    }
}
