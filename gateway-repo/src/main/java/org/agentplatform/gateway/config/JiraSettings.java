package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code gateway.jira.*}: how Jira deliveries are checked and which of them become tasks. */
@ConfigurationProperties("gateway.jira")
public class JiraSettings {

    private String webhookSecret = "";
    private String triggerLabel = "agent";
    private String trigger = "@agent";
    private String botAccountId = "";

    /** JIRA_WEBHOOK_SECRET; blank means every delivery is refused. */
    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(@Nullable String webhookSecret) {
        this.webhookSecret = webhookSecret == null ? "" : webhookSecret;
    }

    public boolean hasWebhookSecret() {
        return !webhookSecret.isBlank();
    }

    /** JIRA_TRIGGER_LABEL: an issue created with it, or updated to get it, becomes a task. */
    public String getTriggerLabel() {
        return triggerLabel;
    }

    public void setTriggerLabel(@Nullable String triggerLabel) {
        this.triggerLabel = triggerLabel == null || triggerLabel.isBlank() ? "agent" : triggerLabel.trim();
    }

    /** AGENT_TRIGGER (shared with GitHub): a comment mentioning it becomes a task. */
    public String getTrigger() {
        return trigger;
    }

    public void setTrigger(@Nullable String trigger) {
        this.trigger = trigger == null || trigger.isBlank() ? "@agent" : trigger.trim();
    }

    /** JIRA_BOT_ACCOUNT_ID: the agent's Atlassian account; a mention of it triggers, its comments never do. */
    public String getBotAccountId() {
        return botAccountId;
    }

    public void setBotAccountId(@Nullable String botAccountId) {
        this.botAccountId = botAccountId == null ? "" : botAccountId.trim();
    }
}
