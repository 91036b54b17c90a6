package org.agentplatform.github.github;

import io.micronaut.core.annotation.Nullable;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a GitHub call again and how long to wait first.
 * <ul>
 *   <li>retried: 5xx, 429, a 403 that is a rate limit (primary: {@code x-ratelimit-remaining: 0};
 *       secondary: a {@code Retry-After}), and calls that got no answer (connection errors, timeouts);</li>
 *   <li>the wait: the server's {@code Retry-After} (seconds or an HTTP date) if given, else the
 *       primary rate limit's {@code x-ratelimit-reset}, else exponential back-off with jitter
 *       ({@code base·2^(n-1)} capped at the max delay, then a random value in its upper half);</li>
 *   <li>bounded by the number of attempts and by the total time spent waiting: a wait that would pass
 *       the budget is not started — the caller answers at once (503 with Retry-After for a rate limit).</li>
 * </ul>
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxTotalWait;

    public RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxTotalWait) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.maxTotalWait = maxTotalWait;
    }

    public static RetryPolicy of(GithubConfig config) {
        return new RetryPolicy(config.getMaxAttempts(), config.getRetryBaseDelay(), config.getRetryMaxDelay(),
            config.getRetryMaxTotalWait());
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration maxTotalWait() {
        return maxTotalWait;
    }

    /** Whether a response with this status and headers is worth another try. */
    public static boolean retryable(int status, HttpHeaders headers) {
        return status >= 500 || status == 429 || (status == 403 && isRateLimited(status, headers));
    }

    /** GitHub's rate limit answer: 429, or 403 with {@code x-ratelimit-remaining: 0} or a {@code Retry-After}. */
    public static boolean isRateLimited(int status, HttpHeaders headers) {
        if (status != 403 && status != 429) {
            return false;
        }
        return status == 429
            || headers.firstValue("x-ratelimit-remaining").map(String::trim).filter("0"::equals).isPresent()
            || headers.firstValue("retry-after").isPresent();
    }

    /**
     * What the server asked us to wait, if anything: {@code Retry-After} first, then for a rate-limited answer
     * the time until {@code x-ratelimit-reset}.
     */
    public static Optional<Duration> serverDelay(int status, HttpHeaders headers, Instant now) {
        Optional<Duration> retryAfter = headers.firstValue("retry-after").flatMap(v -> parseRetryAfter(v, now));
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        if (isRateLimited(status, headers)
            && headers.firstValue("x-ratelimit-remaining").map(String::trim).filter("0"::equals).isPresent()) {
            return headers.firstValue("x-ratelimit-reset").flatMap(v -> {
                try {
                    Instant reset = Instant.ofEpochSecond(Long.parseLong(v.trim()));
                    // one second of slack: GitHub's clock and ours are not the same clock
                    return Optional.of(nonNegative(Duration.between(now, reset).plusSeconds(1)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            });
        }
        return Optional.empty();
    }

    /** {@code Retry-After}: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
    public static Optional<Duration> parseRetryAfter(@Nullable String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(nonNegative(Duration.between(now, at)));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** Exponential back-off with jitter for attempt {@code attempt} (1 = the wait after the first try). */
    public Duration backoff(int attempt) {
        long base = Math.max(1, baseDelay.toMillis());
        long exp = base << Math.min(Math.max(0, attempt - 1), 20);
        long capped = Math.min(exp, Math.max(base, maxDelay.toMillis()));
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
