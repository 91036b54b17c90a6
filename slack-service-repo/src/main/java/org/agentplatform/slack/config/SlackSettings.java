package org.agentplatform.slack.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Everything slack-service needs to know about Slack, from {@code application.yml} (which maps the
 * environment variables {@code SLACK_*}; see README.md for the table).
 */
@ConfigurationProperties("slack")
public class SlackSettings {

    /** Slack Web API base, {@code SLACK_API_URL}. */
    private String apiUrl = "https://slack.com/api";
    /** Bot token (xoxb-…), {@code SLACK_BOT_TOKEN}; empty means dry-run. */
    @Nullable
    private String botToken;
    /** Force dry-run even with a token, {@code SLACK_DRY_RUN=true}. */
    private boolean dryRun;
    /** Hosts a response_url may point at, {@code SLACK_RESPONSE_URL_HOSTS} (comma list). */
    private String responseUrlHosts = "hooks.slack.com";
    /** Tries per outbound call, retries included, {@code SLACK_MAX_ATTEMPTS}. */
    private int maxAttempts = 4;
    /** First backoff delay; doubled on each retry, with jitter. */
    private Duration backoffInitial = Duration.ofMillis(500);
    /** Largest backoff delay between two tries. */
    private Duration backoffMax = Duration.ofSeconds(8);
    /** Longest Retry-After we are willing to wait; a longer one ends the retries. */
    private Duration retryAfterMax = Duration.ofSeconds(30);
    /** TCP connect timeout towards Slack. */
    private Duration connectTimeout = Duration.ofSeconds(5);
    /** Time limit of one HTTP exchange with Slack. */
    private Duration requestTimeout = Duration.ofSeconds(15);
    /** How long a duplicate request waits for the first one with the same Idempotency-Key. */
    private Duration idempotencyWait = Duration.ofSeconds(10);
    /** An in-flight call older than this is taken as abandoned (its process died). */
    private Duration inFlightStaleAfter = Duration.ofMinutes(5);

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    @Nullable
    public String getBotToken() {
        return botToken;
    }

    public void setBotToken(@Nullable String botToken) {
        this.botToken = botToken;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public String getResponseUrlHosts() {
        return responseUrlHosts;
    }

    public void setResponseUrlHosts(String responseUrlHosts) {
        this.responseUrlHosts = responseUrlHosts;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getBackoffInitial() {
        return backoffInitial;
    }

    public void setBackoffInitial(Duration backoffInitial) {
        this.backoffInitial = backoffInitial;
    }

    public Duration getBackoffMax() {
        return backoffMax;
    }

    public void setBackoffMax(Duration backoffMax) {
        this.backoffMax = backoffMax;
    }

    public Duration getRetryAfterMax() {
        return retryAfterMax;
    }

    public void setRetryAfterMax(Duration retryAfterMax) {
        this.retryAfterMax = retryAfterMax;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getIdempotencyWait() {
        return idempotencyWait;
    }

    public void setIdempotencyWait(Duration idempotencyWait) {
        this.idempotencyWait = idempotencyWait;
    }

    public Duration getInFlightStaleAfter() {
        return inFlightStaleAfter;
    }

    public void setInFlightStaleAfter(Duration inFlightStaleAfter) {
        this.inFlightStaleAfter = inFlightStaleAfter;
    }

    // ---- derived values -------------------------------------------------------------------

    /** True when nothing may be sent to Slack: no bot token, or dry-run forced. */
    public boolean dryRunActive() {
        return dryRun || botToken == null || botToken.isBlank();
    }

    /** Why we are in dry-run, for the synthetic answers and the start-up log. */
    public String dryRunReason() {
        return dryRun ? "SLACK_DRY_RUN is true" : "SLACK_BOT_TOKEN is not set";
    }

    /** The Web API URL of one method, e.g. {@code https://slack.com/api/chat.postMessage}. */
    public URI methodUri(String method) {
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        return URI.create(base + "/" + method);
    }

    /** The allowed response_url hosts, lower case. */
    public List<String> responseUrlHostList() {
        if (responseUrlHosts == null) {
            return List.of();
        }
        return Arrays.stream(responseUrlHosts.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .toList();
    }

    public int attemptsLimit() {
        return Math.max(1, maxAttempts);
    }
}
