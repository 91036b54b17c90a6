package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code gateway.reaction.*}: retries of the eyes reaction. */
@ConfigurationProperties("gateway.reaction")
public class ReactionSettings {

    private int maxAttempts = 5;
    private Duration firstBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private int concurrency = 4;

    /** GATEWAY_REACTION_ATTEMPTS: attempts in all, the first one included. */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getFirstBackoff() {
        return firstBackoff;
    }

    public void setFirstBackoff(Duration firstBackoff) {
        this.firstBackoff = firstBackoff;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    /**
     * GATEWAY_REACTION_CONCURRENCY: reaction calls in flight at once; more wait (still due) for the
     * relay's next tick, so a slow github-service cannot take every after-answer thread.
     */
    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    /** Delay before the next attempt after {@code attemptsSoFar}: first, 2×first, 4×first ... capped. */
    public Duration backoffAfter(int attemptsSoFar) {
        long factor = 1L << Math.min(Math.max(attemptsSoFar - 1, 0), 20);
        Duration d = firstBackoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
