package org.agentplatform.github.github;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Settings of the GitHub side ({@code github.*} in application.yml, each fed by an environment variable).
 */
@ConfigurationProperties("github")
public class GithubConfig {

    private String apiUrl = "https://api.github.com";
    @Nullable
    private String token;
    @Nullable
    private String appId;
    @Nullable
    private String appPrivateKey;
    @Nullable
    private String appInstallationId;
    private String userAgent = "agentplatform-github-service/0.1.0";
    private int maxAttempts = 4;
    private Duration retryBaseDelay = Duration.ofMillis(500);
    private Duration retryMaxDelay = Duration.ofSeconds(8);
    private Duration retryMaxTotalWait = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(15);
    private Duration tokenRefreshMargin = Duration.ofMinutes(5);
    private Duration idempotencyWait = Duration.ofSeconds(10);
    private Duration idempotencyLease = Duration.ofMinutes(5);

    /** The API base URL without a trailing slash. */
    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        String url = apiUrl == null || apiUrl.isBlank() ? "https://api.github.com" : apiUrl.trim();
        this.apiUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Nullable
    public String getToken() {
        return token;
    }

    public void setToken(@Nullable String token) {
        this.token = blankToNull(token);
    }

    @Nullable
    public String getAppId() {
        return appId;
    }

    public void setAppId(@Nullable String appId) {
        this.appId = blankToNull(appId);
    }

    @Nullable
    public String getAppPrivateKey() {
        return appPrivateKey;
    }

    public void setAppPrivateKey(@Nullable String appPrivateKey) {
        this.appPrivateKey = blankToNull(appPrivateKey);
    }

    @Nullable
    public String getAppInstallationId() {
        return appInstallationId;
    }

    public void setAppInstallationId(@Nullable String appInstallationId) {
        this.appInstallationId = blankToNull(appInstallationId);
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
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

    public Duration getRetryMaxTotalWait() {
        return retryMaxTotalWait;
    }

    public void setRetryMaxTotalWait(Duration retryMaxTotalWait) {
        this.retryMaxTotalWait = retryMaxTotalWait;
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

    public Duration getTokenRefreshMargin() {
        return tokenRefreshMargin;
    }

    public void setTokenRefreshMargin(Duration tokenRefreshMargin) {
        this.tokenRefreshMargin = tokenRefreshMargin;
    }

    public Duration getIdempotencyWait() {
        return idempotencyWait;
    }

    public void setIdempotencyWait(Duration idempotencyWait) {
        this.idempotencyWait = idempotencyWait;
    }

    public Duration getIdempotencyLease() {
        return idempotencyLease;
    }

    public void setIdempotencyLease(Duration idempotencyLease) {
        this.idempotencyLease = idempotencyLease;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
