package org.agentplatform.gateway.webhook.jira;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.JiraSettings;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.messages.JiraSource;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.webhook.TaskSpec;
import org.agentplatform.gateway.webhook.TriggerMatcher;
import org.agentplatform.gateway.webhook.VendorDecision;

import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;

import static org.agentplatform.gateway.webhook.JsonBodies.at;
import static org.agentplatform.gateway.webhook.JsonBodies.required;
import static org.agentplatform.gateway.webhook.JsonBodies.text;

/**
 * Decides what a verified Jira Cloud webhook (developer.atlassian.com/cloud/jira/platform/webhooks/)
 * asks for:
 * <ul>
 *   <li>{@code jira:issue_created} with the trigger label → a task on the issue;</li>
 *   <li>{@code jira:issue_updated} only when this update ADDED the label (a changelog item on
 *       {@code labels} whose {@code toString} has it and {@code fromString} has not), so editing a
 *       labelled issue does not start the agent again and again;</li>
 *   <li>{@code comment_created} mentioning the trigger ({@code @agent}) or the agent's account
 *       ({@code [~accountid:<JIRA_BOT_ACCOUNT_ID>]}) → a task for the comment; the agent's own
 *       comments never trigger.</li>
 * </ul>
 */
@Singleton
public class JiraEventInterpreter {

    private static final Pattern ISSUE_KEY = Pattern.compile("^[A-Z][A-Z0-9_]{0,30}-[1-9][0-9]{0,15}$");

    private final JiraSettings settings;
    private final TriggerMatcher trigger;

    public JiraEventInterpreter(JiraSettings settings) {
        this.settings = settings;
        this.trigger = new TriggerMatcher(settings.getTrigger());
    }

    public VendorDecision decide(@Nullable String event, JsonNode payload) {
        if (event == null) {
            return new VendorDecision.Ignore("the payload has no webhookEvent");
        }
        return switch (event) {
            case "jira:issue_created" -> issueCreated(payload);
            case "jira:issue_updated" -> issueUpdated(payload);
            case "comment_created" -> commentCreated(payload);
            default -> new VendorDecision.Ignore("Jira event '" + event + "' does not create tasks");
        };
    }

    private VendorDecision issueCreated(JsonNode payload) {
        JsonNode issue = issue(payload);
        String label = settings.getTriggerLabel();
        if (!hasLabel(at(issue, "fields", "labels"), label)) {
            return new VendorDecision.Ignore("the new issue is not labelled '" + label + "'");
        }
        return issueTask(payload, issue, "issue created with the label '" + label + "'");
    }

    private VendorDecision issueUpdated(JsonNode payload) {
        JsonNode issue = issue(payload);
        String label = settings.getTriggerLabel();
        JsonNode items = at(payload, "changelog", "items");
        if (items != null && items.isArray()) {
            for (JsonNode item : items.values()) {
                if ("labels".equals(text(item, "field"))
                        && words(text(item, "toString")).contains(label)
                        && !words(text(item, "fromString")).contains(label)) {
                    return issueTask(payload, issue, "label '" + label + "' added to the issue");
                }
            }
        }
        return new VendorDecision.Ignore("this update did not add the label '" + label + "'");
    }

    private VendorDecision commentCreated(JsonNode payload) {
        JsonNode comment = at(payload, "comment");
        if (comment == null) {
            throw ProblemException.badField("comment", "is required in a comment_created payload");
        }
        String author = text(comment, "author", "accountId");
        String bot = settings.getBotAccountId();
        if (!bot.isEmpty() && bot.equals(author)) {
            return new VendorDecision.Ignore("comment by the agent's own account (" + author + ")");
        }
        JsonNode body = at(comment, "body");
        String text = JiraText.text(body);
        Set<String> mentioned = JiraText.mentionedAccounts(body);
        boolean asked = trigger.mentions(text) || (!bot.isEmpty() && mentioned.contains(bot));
        if (!asked) {
            return new VendorDecision.Ignore("the comment does not mention " + trigger.trigger()
                    + (bot.isEmpty() ? "" : " or the agent's account"));
        }
        JsonNode issue = issue(payload);
        String key = issueKey(issue);
        String commentId = required(comment, "id");
        JiraSource jira = new JiraSource().withIssueKey(key).withCommentId(commentId);
        String browse = browseUrl(issue, key);
        TaskSource source = new TaskSource().withVendor(TaskSource.Vendor.JIRA)
                .withUrl(browse == null ? null : browse + "?focusedCommentId=" + commentId).withJira(jira);
        String user = author != null ? author : userOf(payload);
        return new VendorDecision.CreateTask(TaskSpec.simple("jira:" + key, user, text, null, source,
                TaskSpec.Reaction.NONE), "comment on " + key + " mentions the agent");
    }

    private VendorDecision issueTask(JsonNode payload, JsonNode issue, String reason) {
        String key = issueKey(issue);
        String summary = text(issue, "fields", "summary");
        String description = JiraText.text(at(issue, "fields", "description"));
        StringBuilder input = new StringBuilder(key).append(": ").append(summary == null ? "" : summary.strip());
        if (!description.isEmpty()) {
            input.append("\n\n").append(description);
        }
        TaskSource source = new TaskSource().withVendor(TaskSource.Vendor.JIRA).withUrl(browseUrl(issue, key))
                .withJira(new JiraSource().withIssueKey(key));
        return new VendorDecision.CreateTask(TaskSpec.simple("jira:" + key, userOf(payload), input.toString(), null,
                source, TaskSpec.Reaction.NONE), reason);
    }

    private static JsonNode issue(JsonNode payload) {
        JsonNode issue = at(payload, "issue");
        if (issue == null || !issue.isObject()) {
            throw ProblemException.badField("issue", "is required in this Jira payload");
        }
        return issue;
    }

    private static String issueKey(JsonNode issue) {
        String key = required(issue, "key");
        if (!ISSUE_KEY.matcher(key).matches()) {
            throw ProblemException.badField("issue.key", "must be a Jira issue key like PROJ-123");
        }
        return key;
    }

    /** Who asked: the webhook's {@code user} (the actor), else the reporter. */
    private static String userOf(JsonNode payload) {
        String id = text(payload, "user", "accountId");
        if (id == null) {
            id = text(payload, "issue", "fields", "reporter", "accountId");
        }
        return id == null ? "jira" : id;
    }

    /** {@code https://<site>/browse/<KEY>} from the issue's REST {@code self} link. */
    @Nullable
    private static String browseUrl(JsonNode issue, String key) {
        String self = text(issue, "self");
        if (self == null) {
            return null;
        }
        try {
            URI uri = URI.create(self);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getAuthority() + "/browse/" + key;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean hasLabel(@Nullable JsonNode labels, String label) {
        if (labels == null || !labels.isArray()) {
            return false;
        }
        for (JsonNode l : labels.values()) {
            if (l.isString() && l.getStringValue().equals(label)) {
                return true;
            }
        }
        return false;
    }

    /** Jira's changelog lists labels space-separated ({@code "backend agent"}). */
    private static Set<String> words(@Nullable String s) {
        return s == null || s.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(s.trim().split("\\s+")));
    }
}
