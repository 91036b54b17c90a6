package org.agentplatform.github.github;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} → {@code github}: which credential the service uses ({@code dry_run}, {@code token},
 * {@code app}) and against which API. Always UP: GitHub's own health is not ours to report, and the
 * call log shows every failure.
 */
@Singleton
public class GithubHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final GithubAuth auth;
    private final GithubConfig config;

    public GithubHealthIndicator(GithubAuth auth, GithubConfig config) {
        this.auth = auth;
        this.config = config;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = HealthStatus.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", auth.mode().name().toLowerCase(java.util.Locale.ROOT));
        details.put("api_url", config.getApiUrl());
        return details;
    }

    @Override
    protected String getName() {
        return "github";
    }
}
