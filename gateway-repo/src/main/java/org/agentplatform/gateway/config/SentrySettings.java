package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/** {@code gateway.sentry.*}: Sentry deliveries and the stack-trace enrichment of their tasks. */
@ConfigurationProperties("gateway.sentry")
public class SentrySettings {

    private String clientSecret = "";
    private String agentType = "triage";
    private Duration dedupeWindow = Duration.ofHours(1);
    private int enrichAttempts = 4;
    private Duration enrichFirstBackoff = Duration.ofSeconds(1);
    private Duration enrichMaxBackoff = Duration.ofSeconds(30);
    private int maxFrames = 10;
    private int maxStackChars = 4000;

    /** SENTRY_CLIENT_SECRET (the integration's client secret); blank means every delivery is refused. */
    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(@Nullable String clientSecret) {
        this.clientSecret = clientSecret == null ? "" : clientSecret;
    }

    public boolean hasClientSecret() {
        return !clientSecret.isBlank();
    }

    /** SENTRY_AGENT_TYPE: agent_type of Sentry tasks. */
    public String getAgentType() {
        return agentType;
    }

    public void setAgentType(@Nullable String agentType) {
        this.agentType = agentType == null || agentType.isBlank() ? "triage" : agentType.trim();
    }

    /** SENTRY_DEDUPE_WINDOW: at most one task per Sentry issue within it. */
    public Duration getDedupeWindow() {
        return dedupeWindow;
    }

    public void setDedupeWindow(Duration dedupeWindow) {
        this.dedupeWindow = dedupeWindow;
    }

    /** SENTRY_ENRICH_ATTEMPTS: calls to sentry-service before the task is queued without a stack trace. */
    public int getEnrichAttempts() {
        return enrichAttempts;
    }

    public void setEnrichAttempts(int enrichAttempts) {
        this.enrichAttempts = Math.max(1, enrichAttempts);
    }

    public Duration getEnrichFirstBackoff() {
        return enrichFirstBackoff;
    }

    public void setEnrichFirstBackoff(Duration enrichFirstBackoff) {
        this.enrichFirstBackoff = enrichFirstBackoff;
    }

    public Duration getEnrichMaxBackoff() {
        return enrichMaxBackoff;
    }

    public void setEnrichMaxBackoff(Duration enrichMaxBackoff) {
        this.enrichMaxBackoff = enrichMaxBackoff;
    }

    /** Stack frames put into the task (in-app first). */
    public int getMaxFrames() {
        return maxFrames;
    }

    public void setMaxFrames(int maxFrames) {
        this.maxFrames = Math.max(1, maxFrames);
    }

    /** Cap on the length of the stack-trace section added to the task's input. */
    public int getMaxStackChars() {
        return maxStackChars;
    }

    public void setMaxStackChars(int maxStackChars) {
        this.maxStackChars = Math.max(200, maxStackChars);
    }

    /** Delay before the next enrichment attempt after {@code attemptsSoFar}: first, 2×first ... capped. */
    public Duration backoffAfter(int attemptsSoFar) {
        long factor = 1L << Math.min(Math.max(attemptsSoFar - 1, 0), 20);
        Duration d = enrichFirstBackoff.multipliedBy(factor);
        return d.compareTo(enrichMaxBackoff) > 0 ? enrichMaxBackoff : d;
    }
}
