package org.agentplatform.sentry.calls;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.agentplatform.sentry.config.SentryConfig;
import org.agentplatform.sentry.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code Idempotency-Key}: the first request with a key reserves it (unique constraint on
 * {@code (operation, idempotency_key)}), performs the work and stores its answer; every later request
 * with that key gets the stored answer and performs nothing. A duplicate that arrives while the first
 * is still running waits up to {@code SENTRY_IDEMPOTENCY_WAIT} for its answer, then gets 409.
 * A failed first request releases the key, so the caller can retry with the same key; but when Sentry gave
 * no answer to a request that creates something ({@link Unanswered}), the key is kept in state
 * {@code unanswered} with the start of that attempt, and the retry that claims it gets that time so it
 * looks on Sentry for what was created before sending anything.
 */
@Singleton
public class IdempotencyGuard {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyGuard.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final long POLL_MILLIS = 50;

    /** The answer and whether it was replayed from an earlier request with the same key. */
    public record Outcome<T>(T value, boolean replayed) {
    }

    private final IdempotencyRepository repository;
    private final JsonMapper json;
    private final SentryConfig config;

    public IdempotencyGuard(IdempotencyRepository repository, JsonMapper json, SentryConfig config) {
        this.repository = repository;
        this.json = json;
        this.config = config;
    }

    /**
     * Runs {@code action} at most once per (operation, key) and replays its answer. The action gets what is
     * known of unanswered attempts of earlier requests with this key and reports its own to it.
     */
    public <T> Outcome<T> execute(String operation, @Nullable String key, String requestFingerprint,
                                  Class<T> type, Function<Unanswered, T> action) {
        if (key == null) {
            return new Outcome<>(action.apply(Unanswered.none()), false);
        }
        String hash = sha256(operation + "\n" + requestFingerprint);
        Instant deadline = Instant.now().plus(config.getIdempotencyWait());
        while (true) {
            Optional<Long> reserved = tryReserve(operation, key, hash);
            if (reserved.isPresent()) {
                return new Outcome<>(perform(reserved.get(), Unanswered.none(), action), false);
            }
            Optional<IdempotencyRecord> existing = repository.findByOperationAndIdempotencyKey(operation, key);
            if (existing.isEmpty()) {
                continue; // released between our insert and our read: try to reserve again
            }
            IdempotencyRecord record = existing.get();
            if (record.isCompleted()) {
                if (!record.requestHash().equals(hash)) {
                    LOG.warn("Idempotency-Key '{}' of {} reused with a different request; replaying the first answer",
                            key, operation);
                }
                return new Outcome<>(read(record.responseBody(), type), true);
            }
            Instant now = Instant.now();
            if (record.isUnanswered()) {
                if (repository.claimUnanswered(record.id(), hash, now) == 1) {
                    LOG.info("Idempotency-Key '{}' of {}: an earlier request got no answer from Sentry (since {});"
                            + " looking for its result before sending again", key, operation, record.unansweredSince());
                    return new Outcome<>(perform(record.id(), new Unanswered(record.unansweredSince()), action), false);
                }
                continue; // another retry claimed it first: wait for its answer like any duplicate
            }
            if (record.updatedAt().isBefore(now.minus(config.getIdempotencyStaleAfter()))
                    && repository.takeOver(record.id(), hash, now.minus(config.getIdempotencyStaleAfter()), now) == 1) {
                LOG.warn("Idempotency-Key '{}' of {} was left in progress since {}; taking it over",
                        key, operation, record.updatedAt());
                // the holder died mid-call: what it sent may have been stored, so look before sending
                Instant since = record.unansweredSince() != null ? record.unansweredSince() : record.updatedAt();
                return new Outcome<>(perform(record.id(), new Unanswered(since), action), false);
            }
            if (now.isAfter(deadline)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "A request with Idempotency-Key '" + key
                        + "' is still in progress; retry later to get its result", List.of(),
                        Map.of("Retry-After", "1"));
            }
            sleep();
        }
    }

    private <T> T perform(long reservationId, Unanswered unanswered, Function<Unanswered, T> action) {
        T result;
        try {
            result = action.apply(unanswered);
        } catch (RuntimeException | Error e) {
            Optional<Instant> since = unanswered.since();
            if (since.isPresent()) {
                repository.markUnanswered(reservationId, since.get(), Instant.now());
            } else {
                repository.deleteById(reservationId);
            }
            throw e;
        }
        repository.complete(reservationId, 200, write(result), Instant.now());
        return result;
    }

    private Optional<Long> tryReserve(String operation, String key, String hash) {
        Instant now = Instant.now();
        try {
            IdempotencyRecord saved = repository.save(new IdempotencyRecord(null, operation, key, hash,
                    IdempotencyRecord.IN_PROGRESS, null, null, now, now, null));
            return Optional.ofNullable(saved.id());
        } catch (DataAccessException e) {
            if (isUniqueViolation(e)) {
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
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(@Nullable String body, Class<T> type) {
        try {
            return json.readValue(body == null ? "null" : body, Argument.of(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while waiting for a duplicate request");
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
