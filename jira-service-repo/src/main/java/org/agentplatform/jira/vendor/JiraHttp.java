package org.agentplatform.jira.vendor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to Jira Cloud REST v3 with basic auth ({@code JIRA_EMAIL:JIRA_API_TOKEN}) and
 * retries what is worth retrying: 429, 5xx, connection errors and timeouts, with exponential
 * backoff plus jitter, honouring {@code Retry-After} (seconds or HTTP date) and, on a 429 without
 * it, {@code X-RateLimit-Reset}, as Atlassian's rate-limiting guide describes
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/). At most
 * {@code JIRA_MAX_ATTEMPTS} tries; a server-requested wait longer than {@code JIRA_RETRY_MAX_DELAY}
 * ends the retries at once.
 */
@Singleton
public class JiraHttp {

    private static final Logger LOG = LoggerFactory.getLogger(JiraHttp.class);
    private static final String USER_AGENT = "agent-platform-jira-service/0.1.0";

    private final JiraSettings settings;
    private final HttpClient client;
    private final Sleeper sleeper;

    public JiraHttp(JiraSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.getConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The full URL of a Jira API path. */
    public String url(String path) {
        return settings.getBaseUrl() + path;
    }

    /**
     * Sends one logical request (retrying as configured) and returns Jira's last answer.
     *
     * @throws JiraUnreachableException when no answer came at all
     */
    public Exchange send(String method, String path, String jsonBody) {
        return send(method, path, jsonBody, null, null);
    }

    /**
     * As {@link #send(String, String, String)} for a request that creates something Jira has no
     * idempotency key for (a comment). After an attempt that may have reached Jira but got no answer
     * (a timeout, a reset; not a refused connection), nothing is sent again before {@code lostAnswer}
     * has looked for what that attempt created: found, it is the answer; not there, the request is
     * sent again; the look-up inconclusive (no answer, an error), it is tried again on the next
     * attempt instead of sending. {@code unansweredSince} is when an earlier, unanswered try of the
     * same request began (from the call log): then the look-up comes before the first send.
     *
     * @throws JiraUnreachableException when no answer came (its {@code unansweredSince} says whether
     *         Jira may have done it all the same)
     */
    public Exchange send(String method, String path, String jsonBody, Instant unansweredSince, LostAnswerCheck lostAnswer) {
        int maxAttempts = settings.getMaxAttempts();
        long started = System.nanoTime();
        Instant since = unansweredSince;
        boolean lookFirst = lostAnswer != null && since != null;
        for (int attempt = 1; ; attempt++) {
            if (lookFirst) {
                Lookup lookup = lostAnswer.findCreated(since);
                if (lookup.createdBody() != null) {
                    LOG.info("{} {}: the unanswered attempt of {} had been carried out by Jira; not sending again",
                            method, path, since);
                    return new Exchange(lookup.status(), lookup.createdBody(), lookup.headers(), attempt, millisSince(started),
                            null, since);
                }
                if (lookup.answered()) {
                    lookFirst = false; // Jira does not have it: sending again adds nothing twice
                } else {
                    String why = "no answer sent or lost, then the look-up for what it created failed (" + lookup.failure() + ")";
                    pauseOrGiveUp(method, path, why, attempt, maxAttempts, started, since, backoff(attempt));
                    continue;
                }
            }
            long attemptStart = System.currentTimeMillis();
            try {
                HttpResponse<String> response = client.send(request(method, path, jsonBody),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (!retryable(status)) {
                    return new Exchange(status, response.body(), response.headers(), attempt, millisSince(started), null, since);
                }
                Optional<Duration> asked = serverDelay(response);
                if (asked.isPresent() && asked.get().compareTo(settings.getRetryMaxDelay()) > 0) {
                    LOG.warn("Jira answered {} to {} {} and asks to wait {} s (more than JIRA_RETRY_MAX_DELAY): giving up",
                            status, method, path, asked.get().toSeconds());
                    return new Exchange(status, response.body(), response.headers(), attempt, millisSince(started), asked.get(),
                            since);
                }
                if (attempt >= maxAttempts) {
                    return new Exchange(status, response.body(), response.headers(), attempt, millisSince(started),
                            asked.orElse(null), since);
                }
                int tried = attempt;
                Duration delay = asked.map(this::withJitterOnTop).orElseGet(() -> backoff(tried));
                LOG.info("Jira answered {} to {} {} (attempt {}/{}), retrying in {} ms",
                        status, method, path, attempt, maxAttempts, delay.toMillis());
                sleeper.sleep(delay);
            } catch (IOException e) {
                String why = "no answer (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + ")";
                if (mayHaveArrived(e)) {
                    since = since == null || since.toEpochMilli() > attemptStart ? Instant.ofEpochMilli(attemptStart) : since;
                    lookFirst = lostAnswer != null;
                }
                pauseOrGiveUp(method, path, why, attempt, maxAttempts, started, since, backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JiraUnreachableException("interrupted", attempt, millisSince(started), since);
            }
        }
    }

    /** Waits before the next attempt, or ends the request when it was the last one. */
    private void pauseOrGiveUp(String method, String path, String why, int attempt, int maxAttempts, long started,
                               Instant since, Duration delay) {
        if (attempt >= maxAttempts) {
            LOG.warn("Jira {} {}: {} at attempt {}/{}, giving up", method, path, why, attempt, maxAttempts);
            throw new JiraUnreachableException(why, attempt, millisSince(started), since);
        }
        LOG.info("Jira {} {}: {} (attempt {}/{}); retrying in {} ms", method, path, why, attempt, maxAttempts, delay.toMillis());
        sleeper.sleep(delay);
    }

    /**
     * Whether a request that got no answer may have reached Jira: not when the connection was never
     * made (refused, connect timeout), else yes (request timeout, reset, closed mid-answer).
     */
    static boolean mayHaveArrived(IOException e) {
        return !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                || e.getCause() instanceof ConnectException);
    }

    /** One attempt, no retry: Jira's answer, or empty when none came (for look-ups inside a retry loop). */
    public Optional<Exchange> once(String method, String path) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request(method, path, null),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return Optional.of(new Exchange(response.statusCode(), response.body(), response.headers(), 1,
                    millisSince(started), null, null));
        } catch (IOException e) {
            LOG.info("Jira {} {}: no answer ({})", method, path, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest request(String method, String path, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(settings.getReadTimeout())
                .header("Authorization", basicAuth())
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private String basicAuth() {
        String pair = settings.getEmail() + ":" + settings.getApiToken();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /** Exponential backoff with jitter: base * 2^(attempt-1), capped, then a random 50..100 %. */
    Duration backoff(int attempt) {
        long base = Math.max(1, settings.getRetryBaseDelay().toMillis());
        long cap = Math.max(base, settings.getRetryMaxDelay().toMillis());
        long exp = base << Math.min(20, attempt - 1);
        long delay = Math.min(cap, exp);
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /** A server-requested wait is a minimum: jitter is only ever added (up to 10 %, at most 1 s). */
    private Duration withJitterOnTop(Duration asked) {
        long extra = Math.min(1000, asked.toMillis() / 10);
        return asked.plusMillis(extra <= 0 ? 0 : ThreadLocalRandom.current().nextLong(extra + 1));
    }

    /** {@code Retry-After} (delta seconds or HTTP date), else {@code X-RateLimit-Reset} on a 429. */
    static Optional<Duration> serverDelay(HttpResponse<?> response) {
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            Optional<Duration> parsed = parseRetryAfter(retryAfter.get());
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        if (response.statusCode() == 429) {
            Optional<String> reset = response.headers().firstValue("X-RateLimit-Reset");
            if (reset.isPresent()) {
                Optional<OffsetDateTime> at = parseReset(reset.get().trim());
                if (at.isPresent()) {
                    Duration wait = Duration.between(OffsetDateTime.now(), at.get());
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                }
            }
        }
        return Optional.empty();
    }

    /** Atlassian documents {@code yyyy-MM-ddTHH:mmZ}; any ISO-8601 offset date-time is accepted too. */
    static Optional<OffsetDateTime> parseReset(String value) {
        for (DateTimeFormatter format : new DateTimeFormatter[] {
                DateTimeFormatter.ISO_OFFSET_DATE_TIME, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmX")}) {
            try {
                return Optional.of(OffsetDateTime.parse(value, format));
            } catch (DateTimeParseException ignored) {
                // next format
            }
        }
        return Optional.empty();
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * Jira's final answer to one logical request; {@code unansweredSince} is when the first attempt
     * that may have reached Jira without an answer began (null when every attempt was answered).
     */
    public record Exchange(int status, String body, java.net.http.HttpHeaders headers, int attempts, long durationMs,
                           Duration retryAfter, Instant unansweredSince) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Looks on Jira for what an unanswered attempt created (Jira Cloud has no idempotency keys):
     * {@code since} is when that attempt began.
     */
    @FunctionalInterface
    public interface LostAnswerCheck {
        Lookup findCreated(Instant since);
    }

    /**
     * The result of a {@link LostAnswerCheck}: found ({@code createdBody}, the JSON Jira would have
     * answered, with the status and headers to treat as its answer), not there ({@code answered} and
     * no body), or unknown ({@code failure} says why; then nothing may be sent again yet).
     */
    public record Lookup(boolean answered, int status, String createdBody, java.net.http.HttpHeaders headers, String failure) {

        public static Lookup found(int status, String createdBody, java.net.http.HttpHeaders headers) {
            return new Lookup(true, status, createdBody, headers, null);
        }

        public static Lookup notThere() {
            return new Lookup(true, 0, null, null, null);
        }

        public static Lookup unknown(String failure) {
            return new Lookup(false, 0, null, null, failure);
        }
    }
}
