package org.agentplatform.sentry.calls;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Optional;

/**
 * When a request to Sentry that creates something went out and no answer came back (a timeout, a reset
 * after sending): Sentry may have stored it all the same, so what is sent next must look for it first.
 * Holds the start of the earliest such attempt, of this call or of an earlier call with the same
 * Idempotency-Key (persisted by {@link IdempotencyGuard}).
 */
public final class Unanswered {

    @Nullable
    private Instant since;

    public Unanswered(@Nullable Instant since) {
        this.since = since;
    }

    /** Nothing unanswered so far. */
    public static Unanswered none() {
        return new Unanswered(null);
    }

    /** The start of the earliest attempt that got no answer, if any. */
    public synchronized Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** An attempt that started at {@code attemptStart} went out and got no answer. */
    public synchronized void noAnswerTo(Instant attemptStart) {
        if (since == null || attemptStart.isBefore(since)) {
            since = attemptStart;
        }
    }
}
