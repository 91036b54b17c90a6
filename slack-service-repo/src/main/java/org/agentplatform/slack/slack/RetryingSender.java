package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends one logical request to Slack with bounded retries: on connection errors and timeouts, on
 * HTTP 429 and 5xx, and on whatever else the caller's {@link RetryJudge} calls transient (Slack's
 * {@code "error": "ratelimited"} in a 200, say). Waits exactly {@code Retry-After} when Slack gives
 * one (up to {@code slack.retry-after-max}), else exponential backoff with jitter; at most
 * {@code slack.max-attempts} tries in all.
 */
@Singleton
public class RetryingSender {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingSender.class);

    /** Decides whether an answer is worth another try. */
    @FunctionalInterface
    public interface RetryJudge {
        /** Empty: the answer is final (success or a definite error). */
        Optional<String> transientReason(VendorHttp.Response response);
    }

    /** What happened over all tries. */
    public record Exchange(@Nullable VendorHttp.Response response,
                           @Nullable IOException failure,
                           int attempts,
                           long durationMs,
                           boolean exhausted,
                           @Nullable String lastTransientReason,
                           @Nullable Duration retryAfter) {

        /** Gave up on a transient problem (or never got an answer). */
        public boolean gaveUp() {
            return exhausted || response == null;
        }
    }

    private final VendorHttp http;
    private final SlackSettings settings;

    public RetryingSender(VendorHttp http, SlackSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** Retries on 429, 5xx and no-answer only. */
    public static Optional<String> httpStatusOnly(VendorHttp.Response response) {
        if (response.status() == 429) {
            return Optional.of("HTTP 429 (rate limited)");
        }
        if (response.status() >= 500) {
            return Optional.of("HTTP " + response.status());
        }
        return Optional.empty();
    }

    public Exchange send(URI uri, Map<String, String> headers, String body, RetryJudge judge) {
        int limit = settings.attemptsLimit();
        long started = System.nanoTime();
        VendorHttp.Response last = null;
        IOException lastFailure = null;
        String reason = null;
        Duration retryAfter = null;
        for (int attempt = 1; attempt <= limit; attempt++) {
            Duration wait;
            try {
                last = http.post(uri, headers, body, settings.getRequestTimeout());
                lastFailure = null;
                Optional<String> transientReason = judge.transientReason(last);
                if (transientReason.isEmpty()) {
                    return new Exchange(last, null, attempt, millisSince(started), false, null, null);
                }
                reason = transientReason.get();
                retryAfter = retryAfter(last).orElse(null);
                if (retryAfter != null && retryAfter.compareTo(settings.getRetryAfterMax()) > 0) {
                    LOG.warn("{} {}: {}; Retry-After {}s is longer than slack.retry-after-max ({}s): giving up",
                            "POST", uri.getHost(), reason, retryAfter.toSeconds(), settings.getRetryAfterMax().toSeconds());
                    return new Exchange(last, null, attempt, millisSince(started), true, reason, retryAfter);
                }
                wait = retryAfter != null ? retryAfter : backoff(attempt);
            } catch (InterruptedIOException e) {
                return new Exchange(last, e, attempt, millisSince(started), true, "interrupted", null);
            } catch (IOException e) {
                lastFailure = e;
                last = null;
                reason = "no answer: " + describe(e);
                retryAfter = null;
                wait = backoff(attempt);
            }
            if (attempt == limit) {
                break;
            }
            LOG.warn("POST {}{}: attempt {}/{} failed ({}), retrying in {} ms",
                    uri.getHost(), uri.getPath(), attempt, limit, reason, wait.toMillis());
            if (!sleep(wait)) {
                return new Exchange(last, lastFailure, attempt, millisSince(started), true, reason, retryAfter);
            }
        }
        LOG.warn("POST {}{}: giving up after {} attempts ({})", uri.getHost(), uri.getPath(), limit, reason);
        return new Exchange(last, lastFailure, limit, millisSince(started), true, reason, retryAfter);
    }

    /** Exponential backoff with "equal jitter": half fixed, half random. */
    Duration backoff(int attempt) {
        long initial = Math.max(1, settings.getBackoffInitial().toMillis());
        long max = Math.max(initial, settings.getBackoffMax().toMillis());
        long base = Math.min(max, initial << Math.min(attempt - 1, 20));
        long half = base / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(VendorHttp.Response response) {
        Optional<String> header = response.header("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
