package org.agentplatform.gateway.slack;

import jakarta.inject.Singleton;
import org.agentplatform.gateway.client.slack.api.SlackApi;
import org.agentplatform.gateway.client.slack.model.SlackReactionRequest;
import org.agentplatform.gateway.client.slack.model.SlackResult;
import org.agentplatform.gateway.config.SlackSettings;

/**
 * The reaction ({@code SLACK_REACTION}, default {@code eyes}) on the Slack message that mentioned
 * the agent: slack-service {@code addSlackReaction} through the generated client. Retries and state
 * are {@link org.agentplatform.gateway.github.EyesReaction}'s, shared with GitHub.
 */
@Singleton
public class SlackReaction {

    private final SlackApi slack;
    private final SlackSettings settings;

    public SlackReaction(SlackApi slack, SlackSettings settings) {
        this.slack = slack;
        this.settings = settings;
    }

    public String name() {
        return settings.getReactionName();
    }

    /** POST /api/v1/slack/reactions; null when slack-service answered 404. */
    public SlackResult react(String channel, String messageTs, String idempotencyKey, String correlationId) {
        return slack.addSlackReaction(new SlackReactionRequest(channel, messageTs, settings.getReactionName()),
                idempotencyKey, correlationId);
    }
}
