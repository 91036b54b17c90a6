package org.agentplatform.sentry.vendor;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.sentry.calls.CallContext;
import org.agentplatform.sentry.calls.CallLog;
import org.agentplatform.sentry.calls.OutboundCallRecord;
import org.agentplatform.sentry.calls.Unanswered;
import org.agentplatform.sentry.config.SentryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * HTTP to the Sentry API ({@code SENTRY_API_URL}, {@code Authorization: Bearer SENTRY_AUTH_TOKEN}).
 * Retries 5xx, 429 and connection errors/timeouts with exponential backoff and jitter, honouring
 * {@code Retry-After} (and Sentry's {@code X-Sentry-Rate-Limit-Reset}), up to {@code SENTRY_MAX_ATTEMPTS}.
 * A request that creates something is not sent again after an attempt without answer until a
 * {@link Lookup} has shown that the attempt created nothing.
 * Every call, successful or not, becomes one row of the outbound-call log.
 */
@Singleton
public class SentryClient {

    private static final Logger LOG = LoggerFactory.getLogger(SentryClient.class);
    private static final String USER_AGENT = "agent-platform-sentry-service/0.1.0";

    /** A 2xx answer from Sentry. */
    public record Answer(int status, String body, int attempts, long callId) {
    }

    private final SentryConfig config;
    private final CallLog callLog;
    private final HttpClient http;

    public SentryClient(SentryConfig config, CallLog callLog) {
        this.config = config;
        this.callLog = callLog;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.getConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public String url(String path) {
        return config.getApiUrl() + path;
    }

    /** Dry-run: records what would have been sent and returns the id of that log row. */
    public long recordDryRun(CallContext ctx, String method, String path, @Nullable String body) {
        OutboundCallRecord row = callLog.record(new CallLog.Entry(ctx, method, url(path), body, null, null, 0L,
                true, 0, null, null));
        LOG.info("dry-run {} {} for {} (nothing sent)", method, url(path), ctx.operation());
        return row.id();
    }

    /**
     * How to find what a creating request made when its answer was lost. Sentry has no idempotency keys:
     * after an attempt that went out and got no answer (a timeout, a reset after sending), the client lists
     * {@code GET path} and asks {@code match} for the object that attempt created before it sends again.
     *
     * @param path  the API path that lists what the request creates (an issue's {@code comments/})
     * @param match Sentry's 2xx list answer and the start of the first unanswered attempt → the created
     *              object's JSON, or empty when it is not there
     */
    public record Lookup(String path, BiFunction<String, Instant, Optional<String>> match) {
    }

    /** One exchange with Sentry: its answer (any status), or no answer ({@code failure} says why). */
    private record Exchange(int status, @Nullable String body, @Nullable HttpHeaders headers,
                            @Nullable String failure, boolean maybeProcessed) {
        boolean answered() {
            return failure == null;
        }

        boolean successful() {
            return answered() && status >= 200 && status < 300;
        }
    }

    /**
     * Sends one logical request (with retries) and records it.
     *
     * @param vendorIdOf extracts the id of what Sentry returned from a 2xx body (may return null)
     * @throws SentryCallException for any non-2xx outcome
     */
    public Answer send(CallContext ctx, String method, String path, @Nullable String body,
                       Function<String, String> vendorIdOf) {
        return send(ctx, method, path, body, vendorIdOf, null, Unanswered.none());
    }

    /**
     * As {@link #send(CallContext, String, String, String, Function)} for a request that creates something:
     * never sends it again while an unanswered attempt (this call's, or in {@code unanswered} already, an
     * earlier call's) may have created it; looks with {@code lookup} first, and answers with what it finds.
     * A lookup that fails counts as an attempt and is retried like one. Unanswered attempts of this call are
     * added to {@code unanswered}.
     */
    public Answer send(CallContext ctx, String method, String path, @Nullable String body,
                       Function<String, String> vendorIdOf, @Nullable Lookup lookup, Unanswered unanswered) {
        String url = url(path);
        String lookupUrl = lookup == null ? null : url(lookup.path());
        long started = System.nanoTime();
        boolean mustLook = lookup != null && unanswered.since().isPresent();
        int attempt = 0;
        try {
            while (true) {
                attempt++;
                Exchange x = null;
                String via = ""; // which request of this call failed, when it was the lookup
                if (mustLook) {
                    x = exchange("GET", lookupUrl, null);
                    if (x.successful()) {
                        Optional<String> found = lookup.match().apply(x.body(), unanswered.since().orElseThrow());
                        if (found.isPresent()) {
                            return found(ctx, method, url, body, vendorIdOf, x.status(), found.get(), started, attempt);
                        }
                        LOG.info("{} {}: not created by the unanswered attempt (not in GET {}); sending it",
                                method, url, lookupUrl);
                        mustLook = false;
                        x = null;
                    } else {
                        via = " to the lookup GET " + lookupUrl + " (for what an unanswered attempt may have created)";
                    }
                }
                boolean lostSend = false;
                if (x == null) {
                    Instant sentAt = Instant.now();
                    x = exchange(method, url, body);
                    if (x.successful()) {
                        OutboundCallRecord row = record(ctx, method, url, body, x.status(),
                                safeVendorId(vendorIdOf, x.body()), started, attempt, null, x.body());
                        return new Answer(x.status(), x.body(), attempt, row.id());
                    }
                    if (lookup != null && x.maybeProcessed()) {
                        unanswered.noAnswerTo(sentAt);
                        mustLook = true;
                        lostSend = true;
                    }
                }
                boolean last = attempt >= config.getMaxAttempts();
                Duration wait;
                String failure;
                if (x.answered()) {
                    int status = x.status();
                    failure = method + " " + url + ": Sentry answered " + status + via;
                    Optional<Duration> asked = retryAfter(status, x.headers(), Instant.now());
                    boolean retryable = status == 429 || status >= 500;
                    if (!retryable || last) {
                        String error = retryable ? failure + " after " + attempt + " attempt(s)" : failure;
                        record(ctx, method, url, body, status, null, started, attempt, error, x.body());
                        throw new SentryCallException(SentryCallException.Kind.HTTP_STATUS, status, x.body(), attempt,
                                asked.orElse(null), url, error);
                    }
                    if (asked.isPresent() && asked.get().compareTo(config.getRetryMaxDelay()) > 0) {
                        String error = failure + " asking to retry after " + asked.get().toSeconds()
                                + " s, longer than SENTRY_RETRY_MAX_DELAY (" + config.getRetryMaxDelay().toSeconds() + " s)";
                        record(ctx, method, url, body, status, null, started, attempt, error, x.body());
                        throw new SentryCallException(SentryCallException.Kind.RATE_LIMITED, status, x.body(), attempt,
                                asked.get(), url, error);
                    }
                    wait = asked.isPresent() ? asked.get() : backoff(attempt);
                } else {
                    failure = method + " " + url + ": no answer from Sentry" + via + " (" + x.failure() + ")";
                    if (last) {
                        if (lostSend) {
                            // the budget is spent, but looking is not sending: maybe the last attempt did it
                            Exchange look = exchange("GET", lookupUrl, null);
                            Optional<String> found = look.successful()
                                    ? lookup.match().apply(look.body(), unanswered.since().orElseThrow())
                                    : Optional.empty();
                            if (found.isPresent()) {
                                return found(ctx, method, url, body, vendorIdOf, look.status(), found.get(), started,
                                        attempt);
                            }
                        }
                        String error = failure + " after " + attempt + " attempt(s) (SENTRY_REQUEST_TIMEOUT="
                                + config.getRequestTimeout().toMillis() + " ms)";
                        record(ctx, method, url, body, null, null, started, attempt, error, null);
                        throw new SentryCallException(SentryCallException.Kind.UNREACHABLE, 0, null, attempt, null, url,
                                error);
                    }
                    wait = backoff(attempt);
                }
                LOG.warn("attempt {}/{} failed: {}; retrying in {} ms", attempt, config.getMaxAttempts(), failure,
                        wait.toMillis());
                pause(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            record(ctx, method, url, body, null, null, started, attempt, "interrupted", null);
            throw new SentryCallException(SentryCallException.Kind.UNREACHABLE, 0, null, attempt, null, url,
                    "Interrupted while calling Sentry at " + url);
        }
    }

    /** What a lost attempt created, found by the lookup: the call's result, and nothing is sent again. */
    private Answer found(CallContext ctx, String method, String url, @Nullable String body,
                         Function<String, String> vendorIdOf, int lookupStatus, String created, long started,
                         int attempts) {
        String vendorId = safeVendorId(vendorIdOf, created);
        LOG.info("{} {}: an attempt that got no answer had created it (id {}); not sending it again",
                method, url, vendorId);
        OutboundCallRecord row = record(ctx, method, url, body, lookupStatus, vendorId, started, attempts, null,
                created);
        return new Answer(lookupStatus, created, attempts, row.id());
    }

    /** One HTTP exchange; no answer when the connection failed or the request timed out. */
    private Exchange exchange(String method, String url, @Nullable String body) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(request(method, url, body),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange(response.statusCode(), response.body(), response.headers(), null, false);
        } catch (IOException e) {
            // a refused or timed-out connection never carried the request; anything later may have
            boolean neverSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Exchange(0, null, null, why, !neverSent);
        }
    }

    private HttpRequest request(String method, String url, @Nullable String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.getRequestTimeout())
                .header("Authorization", "Bearer " + config.getAuthToken())
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private OutboundCallRecord record(CallContext ctx, String method, String url, @Nullable String body,
                                      @Nullable Integer status, @Nullable String vendorId, long startedNanos,
                                      int attempts, @Nullable String error, @Nullable String responseBody) {
        long durationMs = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        if (error == null) {
            LOG.info("{} {} -> {} in {} ms ({} attempt(s), {})", method, url, status, durationMs, attempts,
                    ctx.operation());
        } else {
            LOG.warn("{} {} failed: {} after {} ms ({} attempt(s), {})", method, url, error, durationMs, attempts,
                    ctx.operation());
        }
        return callLog.record(new CallLog.Entry(ctx, method, url, body, status, vendorId, durationMs, false,
                attempts, error, responseBody));
    }

    @Nullable
    private static String safeVendorId(Function<String, String> vendorIdOf, String body) {
        try {
            return vendorIdOf.apply(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Exponential backoff with jitter: uniform in [c/2, c] where c = min(max delay, base * 2^(attempt-1)). */
    Duration backoff(int attempt) {
        long base = Math.max(1, config.getRetryBaseDelay().toMillis());
        long cap = Math.max(base, config.getRetryMaxDelay().toMillis());
        long ceiling = Math.min(cap, base << Math.min(20, attempt - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /**
     * How long Sentry asks us to wait: {@code Retry-After} (seconds or an HTTP date), else on a 429
     * {@code X-Sentry-Rate-Limit-Reset} (UTC epoch seconds of the next window).
     */
    static Optional<Duration> retryAfter(int status, HttpHeaders headers, Instant now) {
        Optional<String> header = headers.firstValue("Retry-After");
        if (header.isPresent()) {
            String v = header.get().trim();
            try {
                return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(now, at.toInstant());
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        }
        if (status == 429) {
            Optional<String> reset = headers.firstValue("X-Sentry-Rate-Limit-Reset");
            if (reset.isPresent()) {
                try {
                    long epoch = (long) Double.parseDouble(reset.get().trim());
                    Duration d = Duration.between(now, Instant.ofEpochSecond(epoch));
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (NumberFormatException ignored) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
