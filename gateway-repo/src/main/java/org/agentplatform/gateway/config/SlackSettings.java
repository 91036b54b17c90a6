package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/** {@code gateway.slack.*}: how Slack requests are checked and acknowledged. */
@ConfigurationProperties("gateway.slack")
public class SlackSettings {

    private String signingSecret = "";
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private String reactionName = "eyes";

    /** SLACK_SIGNING_SECRET; blank means every request is refused. */
    public String getSigningSecret() {
        return signingSecret;
    }

    public void setSigningSecret(@Nullable String signingSecret) {
        this.signingSecret = signingSecret == null ? "" : signingSecret;
    }

    public boolean hasSigningSecret() {
        return !signingSecret.isBlank();
    }

    /** Slack's replay protection: requests whose timestamp is further from now are refused. */
    public Duration getMaxClockSkew() {
        return maxClockSkew;
    }

    public void setMaxClockSkew(Duration maxClockSkew) {
        this.maxClockSkew = maxClockSkew;
    }

    /** SLACK_REACTION: the emoji (no colons) put on a mention once its task is accepted. */
    public String getReactionName() {
        return reactionName;
    }

    public void setReactionName(@Nullable String reactionName) {
        this.reactionName = reactionName == null || reactionName.isBlank() ? "eyes" : reactionName.trim();
    }
}
