package org.agentplatform.gateway.webhook.sentry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.SentrySettings;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.messages.SentrySource;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.webhook.TaskSpec;
import org.agentplatform.gateway.webhook.VendorDecision;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.agentplatform.gateway.webhook.JsonBodies.at;
import static org.agentplatform.gateway.webhook.JsonBodies.text;

/**
 * Decides what a verified Sentry integration webhook asks for (docs.sentry.io, Integration Platform
 * › Webhooks): resource {@code issue} with action {@code created}, and {@code event_alert} with
 * action {@code triggered}, become a triage task on the Sentry issue; everything else
 * ({@code installation}, issue resolved/assigned, comments, metric alerts ...) is ignored.
 *
 * <p>The task is stored with the webhook's own summary and marked for enrichment: the stack trace
 * is fetched from sentry-service after the answer. At most one task per Sentry issue within
 * {@code SENTRY_DEDUPE_WINDOW} (an alert rule firing again and again).
 */
@Singleton
public class SentryEventInterpreter {

    private static final Pattern ISSUE_ID = Pattern.compile("^[0-9]{1,20}$");
    private static final Pattern ISSUE_URL_ID = Pattern.compile("/issues/([0-9]{1,20})/?");
    private static final Pattern ORG_IN_URL = Pattern.compile("/organizations/([^/]+)/");

    private final SentrySettings settings;

    public SentryEventInterpreter(SentrySettings settings) {
        this.settings = settings;
    }

    public VendorDecision decide(String resource, JsonNode payload) {
        String action = text(payload, "action");
        if ("issue".equals(resource)) {
            if (!"created".equals(action)) {
                return new VendorDecision.Ignore("Sentry issue action '" + action + "' does not create tasks (only"
                        + " 'created')");
            }
            return issueCreated(payload);
        }
        if ("event_alert".equals(resource)) {
            if (!"triggered".equals(action)) {
                return new VendorDecision.Ignore("Sentry event_alert action '" + action + "' does not create tasks");
            }
            return eventAlert(payload);
        }
        return new VendorDecision.Ignore("Sentry resource '" + resource + "' does not create tasks");
    }

    private VendorDecision issueCreated(JsonNode payload) {
        JsonNode issue = at(payload, "data", "issue");
        if (issue == null || !issue.isObject()) {
            throw ProblemException.badField("data.issue", "is required in an issue webhook");
        }
        String issueId = issueId(text(issue, "id"), null);
        String webUrl = firstNonNull(text(issue, "web_url"), text(issue, "permalink"));
        String title = text(issue, "title");
        StringBuilder input = new StringBuilder("Triage this new Sentry issue");
        appendSummary(input, text(issue, "shortId"), title, text(issue, "culprit"), text(issue, "level"),
                text(issue, "platform"), webUrl);
        String project = text(issue, "project", "slug");
        return task(issueId, project, organization(webUrl), webUrl, input.toString(), actor(payload),
                "new Sentry issue " + firstNonNull(text(issue, "shortId"), issueId));
    }

    private VendorDecision eventAlert(JsonNode payload) {
        JsonNode event = at(payload, "data", "event");
        if (event == null || !event.isObject()) {
            throw ProblemException.badField("data.event", "is required in an event_alert webhook");
        }
        String issueId = issueId(text(event, "issue_id"), text(event, "issue_url"));
        String webUrl = text(event, "web_url");
        String rule = text(payload, "data", "triggered_rule");
        StringBuilder input = new StringBuilder("Triage the Sentry issue behind this alert");
        if (rule != null) {
            input.append(" (rule: ").append(rule).append(')');
        }
        appendSummary(input, null, text(event, "title"), text(event, "culprit"), text(event, "level"),
                text(event, "platform"), webUrl);
        String project = text(event, "project");
        return task(issueId, project, organization(webUrl), webUrl, input.toString(), actor(payload),
                "Sentry alert " + (rule == null ? "" : "'" + rule + "' ") + "on issue " + issueId);
    }

    private VendorDecision task(String issueId, @Nullable String project, @Nullable String organization,
                                @Nullable String url, String input, String user, String reason) {
        SentrySource sentry = new SentrySource().withIssueId(issueId).withProject(project)
                .withOrganization(organization);
        TaskSource source = new TaskSource().withVendor(TaskSource.Vendor.SENTRY).withUrl(url).withSentry(sentry);
        String key = "sentry:" + issueId;
        return new VendorDecision.CreateTask(new TaskSpec(key, user, input, settings.getAgentType(), source,
                TaskSpec.Reaction.NONE, key, settings.getDedupeWindow(), true), reason);
    }

    private static void appendSummary(StringBuilder out, @Nullable String shortId, @Nullable String title,
                                      @Nullable String culprit, @Nullable String level, @Nullable String platform,
                                      @Nullable String url) {
        out.append(":\n");
        if (shortId != null) {
            out.append(shortId).append(": ");
        }
        out.append(title == null ? "(no title)" : title).append('\n');
        if (culprit != null && !culprit.isBlank()) {
            out.append("Culprit: ").append(culprit).append('\n');
        }
        if (level != null) {
            out.append("Level: ").append(level).append('\n');
        }
        if (platform != null) {
            out.append("Platform: ").append(platform).append('\n');
        }
        if (url != null) {
            out.append("Link: ").append(url).append('\n');
        }
    }

    /** The issue id, or parsed from {@code issue_url} ({@code .../api/0/issues/<id>/}). */
    private static String issueId(@Nullable String id, @Nullable String issueUrl) {
        if (id != null && ISSUE_ID.matcher(id).matches()) {
            return id;
        }
        if (issueUrl != null) {
            Matcher m = ISSUE_URL_ID.matcher(issueUrl);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw ProblemException.badField("issue_id", "no numeric Sentry issue id in the payload");
    }

    @Nullable
    private static String organization(@Nullable String webUrl) {
        if (webUrl == null) {
            return null;
        }
        Matcher m = ORG_IN_URL.matcher(webUrl);
        return m.find() ? m.group(1) : null;
    }

    /** Sentry's {@code actor} (mostly the application "sentry" itself). */
    private static String actor(JsonNode payload) {
        String name = text(payload, "actor", "id");
        return name == null || name.isBlank() ? "sentry" : name;
    }

    @Nullable
    private static String firstNonNull(@Nullable String a, @Nullable String b) {
        return a != null ? a : b;
    }
}
