package org.agentplatform.jira.vendor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * Jira connection settings ({@code jira.*} in application.yml, from the {@code JIRA_*} env vars).
 *
 * <p>Real mode needs all of {@code JIRA_BASE_URL}, {@code JIRA_EMAIL} and {@code JIRA_API_TOKEN};
 * otherwise the service runs in dry-run. {@code JIRA_DRY_RUN=true} forces dry-run,
 * {@code JIRA_DRY_RUN=false} makes missing credentials a start-up error.
 */
@ConfigurationProperties("jira")
public class JiraSettings {

    private String baseUrl = "";
    private String email = "";
    private String apiToken = "";
    private String dryRun = "auto";
    private int maxAttempts = 4;
    private Duration retryBaseDelay = Duration.ofMillis(500);
    private Duration retryMaxDelay = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(30);

    /** Base URL without a trailing slash, or "" when not configured. */
    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        String trimmed = baseUrl == null ? "" : baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        this.baseUrl = trimmed;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email == null ? "" : email.trim();
    }

    public String getApiToken() {
        return apiToken;
    }

    public void setApiToken(String apiToken) {
        this.apiToken = apiToken == null ? "" : apiToken.trim();
    }

    public String getDryRun() {
        return dryRun;
    }

    public void setDryRun(String dryRun) {
        this.dryRun = dryRun == null || dryRun.isBlank() ? "auto" : dryRun.trim().toLowerCase();
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

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /** The env vars of real mode that are not set (empty when real mode is possible). */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (baseUrl.isEmpty()) {
            missing.add("JIRA_BASE_URL");
        }
        if (email.isEmpty()) {
            missing.add("JIRA_EMAIL");
        }
        if (apiToken.isEmpty()) {
            missing.add("JIRA_API_TOKEN");
        }
        return missing;
    }

    /** Whether nothing may be sent to Jira. */
    public boolean isDryRunMode() {
        switch (dryRun) {
            case "true", "yes", "1" -> {
                return true;
            }
            case "false", "no", "0" -> {
                if (!missing().isEmpty()) {
                    throw new ConfigurationException("JIRA_DRY_RUN=false but " + String.join(", ", missing()) + " not set");
                }
                return false;
            }
            default -> {
                return !missing().isEmpty();
            }
        }
    }
}
