package org.agentplatform.gateway.pact.verify;

import au.com.dius.pact.provider.MessageAndMetadata;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.VendorPayloads;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Produces the messages the gateway's message pacts describe, with the gateway's real code end to
 * end: the vendor's own example payload (GitHub, Slack, Jira, Sentry), signed, POSTed to the running
 * gateway, and the entry it XADDed read back from Redis. What the verifier compares is exactly what an agent would receive.
 */
public final class TaskMessages {

    private TaskMessages() {
    }

    /** "a task for a Slack app_mention": Slack's own app_mention example, signed, POSTed. */
    public static MessageAndMetadata forSlackAppMention(GatewayTestSupport gateway) {
        return message(gateway.queuedMessageOf(gateway.slack(VendorPayloads.appMention("Ev" + suffix(),
                "<@U0LAN0Z89> summarise this thread"), VendorPayloads.JSON_TYPE), TIMEOUT));
    }

    /** "a task for a Slack slash command": {@code /agent fix the flaky test}, form-encoded as Slack sends it. */
    public static MessageAndMetadata forSlackSlashCommand(GatewayTestSupport gateway) {
        return message(gateway.queuedMessageOf(gateway.slack(VendorPayloads.slashCommand("fix the flaky test",
                "13345224609.738474920." + suffix()), VendorPayloads.FORM), TIMEOUT));
    }

    /** "a task for a Jira issue labelled agent": a jira:issue_updated whose changelog adds the label. */
    public static MessageAndMetadata forJiraIssueLabelled(GatewayTestSupport gateway) {
        return message(gateway.queuedMessageOf(gateway.jira(VendorPayloads.raw(VendorPayloads.JIRA_ISSUE_UPDATED),
                suffix()), TIMEOUT));
    }

    /** "a task for a Sentry issue": Sentry's issue.created example, enriched through (faked) sentry-service. */
    public static MessageAndMetadata forSentryIssue(GatewayTestSupport gateway) {
        return message(gateway.queuedMessageOf(gateway.sentry("issue",
                VendorPayloads.sentryIssueCreated("1170820242"), suffix()), TIMEOUT));
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static String suffix() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static MessageAndMetadata message(String json) {
        return new MessageAndMetadata(json.getBytes(StandardCharsets.UTF_8),
                Map.of("contentType", "application/json", "stream", "agent:tasks:0", "field", "message"));
    }

    /** "a task for a GitHub PR comment". */
    public static MessageAndMetadata forGithubPrComment(GatewayTestSupport gateway) {
        String json = gateway.taskMessageFor("issue_comment",
                org.agentplatform.gateway.support.GithubPayloads.prComment("@agent please review this change"),
                Duration.ofSeconds(15));
        return new MessageAndMetadata(json.getBytes(StandardCharsets.UTF_8),
                Map.of("contentType", "application/json", "stream", "agent:tasks:0", "field", "message"));
    }
}
