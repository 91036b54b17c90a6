package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.GithubSettings;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.messages.GithubSource;

import java.util.Locale;
import java.util.Set;

/**
 * Decides what a GitHub delivery (GitHub's own payload format, already signature-checked and
 * parsed) asks for. Only a newly {@code created} {@code issue_comment} or
 * {@code pull_request_review_comment} that mentions the trigger, written by an allowed human, makes
 * a task; the agent's own comments never do.
 */
@Singleton
public class GithubEventInterpreter {

    /** Every answer the agent posts carries this HTML comment; such comments never trigger. */
    public static final String AGENT_MARKER = "<!-- agent-platform";

    private final TriggerMatcher trigger;
    private final Set<String> allowedLogins;
    private final String botLogin;

    public GithubEventInterpreter(GithubSettings settings) {
        this.trigger = new TriggerMatcher(settings.getTrigger());
        this.allowedLogins = settings.allowedLogins();
        this.botLogin = settings.getBotLogin().toLowerCase(Locale.ROOT);
    }

    public GithubDecision decide(String event, JsonNode payload) {
        switch (event) {
            case "ping":
                return new GithubDecision.Pong("ping received");
            case "issue_comment":
            case "pull_request_review_comment":
                return decideComment(event, payload);
            default:
                return new GithubDecision.Ignore("event '" + event + "' does not create tasks");
        }
    }

    private GithubDecision decideComment(String event, JsonNode payload) {
        String action = text(payload, "action");
        if (!"created".equals(action)) {
            return new GithubDecision.Ignore(event + " action '" + action + "' does not create tasks (only 'created')");
        }
        JsonNode comment = object(payload, "comment", "comment");
        JsonNode user = object(comment, "comment.user", "user");
        String login = requiredText(user, "comment.user.login", "login");
        String body = text(comment, "body");
        if (body == null) {
            body = "";
        }
        if ("Bot".equalsIgnoreCase(text(user, "type"))) {
            return new GithubDecision.Ignore("comment by a bot (" + login + ")");
        }
        if (!botLogin.isEmpty() && botLogin.equals(login.toLowerCase(Locale.ROOT))) {
            return new GithubDecision.Ignore("comment by the agent's own account (" + login + ")");
        }
        if (body.contains(AGENT_MARKER)) {
            return new GithubDecision.Ignore("comment written by the agent (it carries the agent-platform marker)");
        }
        if (!trigger.mentions(body)) {
            return new GithubDecision.Ignore("the comment does not mention " + trigger.trigger());
        }
        if (!allowedLogins.isEmpty() && !allowedLogins.contains(login.toLowerCase(Locale.ROOT))) {
            return new GithubDecision.Ignore(login + " is not in ALLOWED_USERS");
        }

        JsonNode repository = object(payload, "repository", "repository");
        String owner = requiredText(object(repository, "repository.owner", "owner"), "repository.owner.login", "login");
        String repo = requiredText(repository, "repository.name", "name");
        long commentId = requiredLong(comment, "comment.id", "id");
        boolean review = event.equals("pull_request_review_comment");
        long number;
        boolean pullRequest;
        if (review) {
            number = requiredLong(object(payload, "pull_request", "pull_request"), "pull_request.number", "number");
            pullRequest = true;
        } else {
            JsonNode issue = object(payload, "issue", "issue");
            number = requiredLong(issue, "issue.number", "number");
            JsonNode pr = issue.get("pull_request");
            pullRequest = pr != null && !pr.isNull();
        }
        GithubComment parsed = new GithubComment(owner, repo, number, commentId,
                review ? GithubSource.CommentType.REVIEW_COMMENT : GithubSource.CommentType.ISSUE_COMMENT,
                pullRequest, login, body, text(comment, "html_url"));
        return new GithubDecision.CreateTask(parsed, trigger.trigger() + " mentioned by " + login);
    }

    private static JsonNode object(JsonNode parent, String path, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw ProblemException.badField(path, "must be a JSON object in this event's payload");
        }
        return node;
    }

    @Nullable
    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && node.isString() ? node.getStringValue() : null;
    }

    private static String requiredText(JsonNode parent, String path, String field) {
        String value = text(parent, field);
        if (value == null || value.isBlank()) {
            throw ProblemException.badField(path, "must be a non-empty string");
        }
        return value;
    }

    private static long requiredLong(JsonNode parent, String path, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isNumber() || node.getLongValue() < 1) {
            throw ProblemException.badField(path, "must be a positive integer");
        }
        return node.getLongValue();
    }
}
