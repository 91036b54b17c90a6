package org.agentplatform.sentry.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * How sentry-service reaches Sentry (see README for the environment variables).
 * Without an auth token the service runs in dry-run: nothing is sent to Sentry.
 */
@ConfigurationProperties("sentry")
public class SentryConfig {

    private String apiUrl = "https://sentry.io/api/0";
    @Nullable
    private String authToken;
    @Nullable
    private String org;
    private int maxAttempts = 4;
    private Duration retryBaseDelay = Duration.ofMillis(500);
    private Duration retryMaxDelay = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(15);
    private Duration idempotencyWait = Duration.ofSeconds(5);
    private Duration idempotencyStaleAfter = Duration.ofMinutes(5);

    /** True when no token is configured: calls are recorded and answered synthetically. */
    public boolean isDryRun() {
        return authToken == null || authToken.isBlank();
    }

    /** The API base URL without a trailing slash, e.g. {@code https://sentry.io/api/0}. */
    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        String url = apiUrl == null || apiUrl.isBlank() ? "https://sentry.io/api/0" : apiUrl.trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.apiUrl = url;
    }

    @Nullable
    public String getAuthToken() {
        return authToken;
    }

    public void setAuthToken(@Nullable String authToken) {
        this.authToken = authToken == null ? null : authToken.trim();
    }

    /** Organization slug; when set, the organization-scoped issue endpoints are used. */
    @Nullable
    public String getOrg() {
        return org == null || org.isBlank() ? null : org.trim();
    }

    public void setOrg(@Nullable String org) {
        this.org = org;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    public Duration getRetryBaseDelay() {
        return retryBaseDelay;
    }

    public void setRetryBaseDelay(Duration retryBaseDelay) {
        this.retryBaseDelay = retryBaseDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
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

    public Duration getIdempotencyStaleAfter() {
        return idempotencyStaleAfter;
    }

    public void setIdempotencyStaleAfter(Duration idempotencyStaleAfter) {
        this.idempotencyStaleAfter = idempotencyStaleAfter;
    }
}
