package org.agentplatform.github.github;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends one logical request to the GitHub REST API with GitHub's headers, retrying as {@link RetryPolicy}
 * says. Uses the JDK's {@link HttpClient}: a blocking call on the request's own worker thread is what the
 * retry loop (sleeps of seconds, Retry-After) needs, it hands back every status as data instead of
 * exceptions, and it adds no second HTTP stack to keep in step with Micronaut's.
 */
@Singleton
public class GithubTransport {

    /** Supplies the {@code Authorization} header for a call. */
    public interface Auth {
        /** The full header value, e.g. {@code Bearer ghs_…}. May call GitHub itself (installation tokens). */
        String authorization();

        /** Drops a cached credential after a 401; true when a fresh one can be had (worth one more try). */
        default boolean renew() {
            return false;
        }
    }

    public static final String ACCEPT = "application/vnd.github+json";
    public static final String API_VERSION = "2022-11-28";
    private static final Logger LOG = LoggerFactory.getLogger(GithubTransport.class);

    private final GithubConfig config;
    private final RetryPolicy policy;
    private final HttpClient client;

    public GithubTransport(GithubConfig config) {
        this.config = config;
        this.policy = RetryPolicy.of(config);
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.getConnectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    }

    /** The absolute URL of an API path such as {@code /repos/o/r/issues/1}. */
    public String url(String path) {
        return config.getApiUrl() + path;
    }

    /**
     * Sends {@code method path} with an optional JSON body. Returns GitHub's last answer, whatever its status
     * (the caller maps errors); throws {@link GithubUnreachableException} when no answer came at all.
     */
    public GithubResponse send(String method, String path, @Nullable String jsonBody, Auth auth) {
        return send(method, path, jsonBody, auth, null);
    }

    /**
     * What a call that creates something does after an attempt got no answer (a timeout, a reset):
     * GitHub may have created it all the same, and GitHub has no idempotency keys, so the caller
     * looks for it before the next attempt. {@code since} is when the first attempt started.
     */
    @FunctionalInterface
    public interface LostAnswerCheck {
        Optional<GithubResponse> findCreated(Instant since);
    }

    /** As {@link #send(String, String, String, Auth)}; {@code lostAnswer} is asked before retrying an unanswered attempt. */
    public GithubResponse send(String method, String path, @Nullable String jsonBody, Auth auth,
                               @Nullable LostAnswerCheck lostAnswer) {
        URI uri = URI.create(url(path));
        Instant firstAttempt = Instant.now();
        long started = System.nanoTime();
        long waitedMs = 0;
        boolean renewed = false;
        int attempt = 0;
        while (true) {
            attempt++;
            HttpRequest request = request(method, uri, jsonBody, auth.authorization());
            Duration delay;
            String why;
            // the request may have reached GitHub and the answer been lost (not so for a refused connection)
            boolean mayHaveBeenDone = false;
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 401 && !renewed && auth.renew()) {
                    renewed = true;
                    LOG.info("GitHub answered 401 to {} {}: credential renewed, trying again", method, path);
                    continue;
                }
                boolean retryable = RetryPolicy.retryable(status, response.headers());
                Duration serverDelay = retryable
                    ? RetryPolicy.serverDelay(status, response.headers(), Instant.now()).orElse(null) : null;
                delay = serverDelay != null ? serverDelay : policy.backoff(attempt);
                if (!retryable || attempt >= policy.maxAttempts()
                    || waitedMs + delay.toMillis() > policy.maxTotalWait().toMillis()) {
                    long took = elapsedMs(started);
                    log(method, path, status, attempt, took, retryable);
                    return new GithubResponse(status, response.headers(), response.body(), attempt, took);
                }
                why = "answered " + status;
            } catch (IOException e) {
                delay = policy.backoff(attempt);
                why = "no answer (" + describe(e) + ")";
                mayHaveBeenDone = !(e instanceof ConnectException);
                if (attempt >= policy.maxAttempts() || waitedMs + delay.toMillis() > policy.maxTotalWait().toMillis()) {
                    long took = elapsedMs(started);
                    LOG.warn("GitHub {} {}: {} after {} attempt(s) in {} ms, giving up", method, path, why, attempt, took);
                    throw new GithubUnreachableException("GitHub gave " + why + " for " + method + " " + path
                        + " after " + attempt + " attempt(s)", attempt, took, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GithubUnreachableException("Interrupted while calling GitHub", attempt, elapsedMs(started), e);
            }
            LOG.warn("GitHub {} {}: {} (attempt {}/{}), retrying in {} ms", method, path, why, attempt, policy.maxAttempts(),
                delay.toMillis());
            sleep(delay, attempt, started);
            waitedMs += delay.toMillis();
            if (lostAnswer != null && mayHaveBeenDone) {
                Optional<GithubResponse> created = lostAnswer.findCreated(firstAttempt);
                if (created.isPresent()) {
                    LOG.info("GitHub {} {}: the unanswered attempt had created it; not sending again", method, path);
                    GithubResponse found = created.get();
                    return new GithubResponse(found.status(), found.headers(), found.body(), attempt, elapsedMs(started));
                }
            }
        }
    }

    private HttpRequest request(String method, URI uri, @Nullable String jsonBody, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
            .timeout(config.getRequestTimeout())
            .header("Accept", ACCEPT)
            .header("X-GitHub-Api-Version", API_VERSION)
            .header("User-Agent", config.getUserAgent())
            .header("Authorization", authorization);
        if (jsonBody == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static void log(String method, String path, int status, int attempts, long took, boolean gaveUp) {
        if (status >= 200 && status < 400) {
            LOG.info("GitHub {} {} -> {} in {} ms ({} attempt(s))", method, path, status, took, attempts);
        } else {
            LOG.warn("GitHub {} {} -> {} in {} ms ({} attempt(s){})", method, path, status, took, attempts,
                gaveUp ? ", giving up" : "");
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    private static void sleep(Duration delay, int attempt, long started) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GithubUnreachableException("Interrupted while waiting to retry GitHub", attempt, elapsedMs(started), e);
        }
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
