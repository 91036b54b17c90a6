package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code gateway.github.*}: how GitHub deliveries are checked and which comments become tasks. */
@ConfigurationProperties("gateway.github")
public class GithubSettings {

    private String webhookSecret = "";
    private String trigger = "@agent";
    private String allowedUsers = "";
    private String botLogin = "";

    /** GITHUB_WEBHOOK_SECRET; blank means every delivery is refused. */
    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(@Nullable String webhookSecret) {
        this.webhookSecret = webhookSecret == null ? "" : webhookSecret;
    }

    public boolean hasWebhookSecret() {
        return !webhookSecret.isBlank();
    }

    /** AGENT_TRIGGER, e.g. {@code @agent}. */
    public String getTrigger() {
        return trigger;
    }

    public void setTrigger(@Nullable String trigger) {
        this.trigger = trigger == null || trigger.isBlank() ? "@agent" : trigger.trim();
    }

    /** ALLOWED_USERS as given (comma list). */
    public String getAllowedUsers() {
        return allowedUsers;
    }

    public void setAllowedUsers(@Nullable String allowedUsers) {
        this.allowedUsers = allowedUsers == null ? "" : allowedUsers;
    }

    /** The allowed logins, lower-cased (GitHub logins are case-insensitive); empty = everyone. */
    public Set<String> allowedLogins() {
        return Arrays.stream(allowedUsers.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** AGENT_BOT_LOGIN: the login the agent answers as (its comments never trigger). */
    public String getBotLogin() {
        return botLogin;
    }

    public void setBotLogin(@Nullable String botLogin) {
        this.botLogin = botLogin == null ? "" : botLogin.trim();
    }
}
