package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>A request that creates something (a message) comes with a {@link LostAnswerCheck}: after an
 * attempt that may have reached Slack but got no answer (a timeout, a reset after sending), the
 * next try first asks the check whether that attempt created it; if so, that is the result and
 * nothing is sent again. A lookup that itself fails uses up the try without sending.
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

    /** Looks on Slack for what an attempt whose answer was lost may have created. */
    @FunctionalInterface
    public interface LostAnswerCheck {
        /** @param since when the attempt without an answer started */
        Lookup find(Instant since);
    }

    /** What a {@link LostAnswerCheck} found. */
    public record Lookup(Kind kind, @Nullable VendorHttp.Response created, String detail, @Nullable Duration retryAfter) {

        public enum Kind {
            /** It was created: {@code created} is the answer to use (as if the lost one had come). */
            FOUND,
            /** Not there (or Slack will not tell): send it. */
            ABSENT,
            /** The lookup failed for a transient reason: do not send now, look again on the next try. */
            UNKNOWN,
            /** There is no way to look (a response_url): never send it again. */
            IMPOSSIBLE
        }

        public static Lookup found(VendorHttp.Response created, String detail) {
            return new Lookup(Kind.FOUND, created, detail, null);
        }

        public static Lookup absent(String detail) {
            return new Lookup(Kind.ABSENT, null, detail, null);
        }

        public static Lookup unknown(String detail, @Nullable Duration retryAfter) {
            return new Lookup(Kind.UNKNOWN, null, detail, retryAfter);
        }

        public static Lookup impossible(String detail) {
            return new Lookup(Kind.IMPOSSIBLE, null, detail, null);
        }
    }

    /**
     * What happened over all tries. {@code unansweredSince}: when the first attempt started that may
     * have reached Slack without an answer coming back (null: every attempt was answered or never
     * left); {@code recovered}: the result is what such an attempt had created, found by a lookup.
     */
    public record Exchange(@Nullable VendorHttp.Response response,
                           @Nullable IOException failure,
                           int attempts,
                           long durationMs,
                           boolean exhausted,
                           @Nullable String lastTransientReason,
                           @Nullable Duration retryAfter,
                           @Nullable Instant unansweredSince,
                           boolean recovered) {

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

    /** A request that may be sent again freely (it creates nothing a second time). */
    public Exchange send(URI uri, Map<String, String> headers, String body, RetryJudge judge) {
        return send(uri, headers, body, judge, null, null);
    }

    /**
     * @param lostAnswer       how to find what a lost attempt created; null: resending is harmless
     * @param unansweredBefore an earlier request with the same Idempotency-Key had an attempt without
     *                         an answer that started then: look before the first send
     */
    public Exchange send(URI uri, Map<String, String> headers, String body, RetryJudge judge,
                         @Nullable LostAnswerCheck lostAnswer, @Nullable Instant unansweredBefore) {
        int limit = settings.attemptsLimit();
        long started = System.nanoTime();
        String target = uri.getHost() + uri.getPath();
        VendorHttp.Response last = null;
        IOException lastFailure = null;
        String reason = unansweredBefore == null ? null
                : "an earlier request with this Idempotency-Key got no answer (attempt started " + unansweredBefore + ")";
        Duration retryAfter = null;
        Instant unanswered = unansweredBefore;
        for (int attempt = 1; attempt <= limit; attempt++) {
            Duration wait;
            Lookup lookup = unanswered == null || lostAnswer == null ? null : lostAnswer.find(unanswered);
            Lookup.Kind found = lookup == null ? Lookup.Kind.ABSENT : lookup.kind();
            if (found == Lookup.Kind.FOUND) {
                LOG.info("POST {}: the attempt without an answer (started {}) had done it ({}); not sending again",
                        target, unanswered, lookup.detail());
                return new Exchange(lookup.created(), null, attempt - 1, millisSince(started), false, null, null,
                        unanswered, true);
            }
            if (found == Lookup.Kind.IMPOSSIBLE) {
                LOG.warn("POST {}: {}; {}: not sending again", target, reason, lookup.detail());
                return new Exchange(null, lastFailure, attempt - 1, millisSince(started), true,
                        reason + "; " + lookup.detail(), null, unanswered, false);
            }
            if (found == Lookup.Kind.UNKNOWN) {
                reason = "an attempt got no answer and looking for what it did failed (" + lookup.detail() + ")";
                retryAfter = lookup.retryAfter();
                wait = retryAfter != null && retryAfter.compareTo(settings.getRetryAfterMax()) <= 0 ? retryAfter : backoff(attempt);
            } else {
                Instant attemptStarted = Instant.now();
                try {
                    last = http.send("POST", uri, headers, body, settings.getRequestTimeout());
                    lastFailure = null;
                    Optional<String> transientReason = judge.transientReason(last);
                    if (transientReason.isEmpty()) {
                        return new Exchange(last, null, attempt, millisSince(started), false, null, null, unanswered, false);
                    }
                    reason = transientReason.get();
                    retryAfter = retryAfter(last).orElse(null);
                    if (retryAfter != null && retryAfter.compareTo(settings.getRetryAfterMax()) > 0) {
                        LOG.warn("POST {}: {}; Retry-After {}s is longer than slack.retry-after-max ({}s): giving up",
                                target, reason, retryAfter.toSeconds(), settings.getRetryAfterMax().toSeconds());
                        return new Exchange(last, null, attempt, millisSince(started), true, reason, retryAfter, unanswered,
                                false);
                    }
                    wait = retryAfter != null ? retryAfter : backoff(attempt);
                } catch (InterruptedIOException e) {
                    return new Exchange(null, e, attempt, millisSince(started), true, "interrupted",
                            null, unanswered != null ? unanswered : attemptStarted, false);
                } catch (IOException e) {
                    lastFailure = e;
                    last = null;
                    reason = "no answer: " + describe(e, settings.getRequestTimeout());
                    retryAfter = null;
                    wait = backoff(attempt);
                    if (unanswered == null && mayHaveArrived(e)) {
                        unanswered = attemptStarted;
                    }
                }
            }
            if (attempt == limit) {
                break;
            }
            LOG.warn("POST {}: attempt {}/{} failed ({}), retrying in {} ms", target, attempt, limit, reason, wait.toMillis());
            if (!sleep(wait)) {
                return new Exchange(last, lastFailure, attempt, millisSince(started), true, reason, retryAfter, unanswered,
                        false);
            }
        }
        LOG.warn("POST {}: giving up after {} attempts ({})", target, limit, reason);
        return new Exchange(last, lastFailure, limit, millisSince(started), true, reason, retryAfter, unanswered, false);
    }

    /**
     * False when the request surely never reached Slack (refused, no route, name or TLS failure before
     * anything was sent); true for a timeout waiting for the answer or a connection lost after sending.
     */
    static boolean mayHaveArrived(IOException e) {
        return !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                || e instanceof UnknownHostException || e instanceof SSLHandshakeException);
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

    /** Why no answer came, in words for a problem's detail (no exception class names). */
    static String describe(IOException e, Duration requestTimeout) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within SLACK_CONNECT_TIMEOUT";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out after SLACK_REQUEST_TIMEOUT (" + requestTimeout.toMillis() + " ms)";
        }
        if (e instanceof ConnectException) {
            return "connection refused" + message;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host" + message;
        }
        return "connection lost" + message;
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
