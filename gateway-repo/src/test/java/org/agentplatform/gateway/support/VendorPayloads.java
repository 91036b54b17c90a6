package org.agentplatform.gateway.support;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The vendors' own example payloads (src/test/resources/{slack,jira,sentry}, READMEs there say
 * where each comes from) and variations derived from them.
 */
public final class VendorPayloads {

    public static final String SLACK_APP_MENTION = "slack/app_mention.json";
    public static final String SLACK_URL_VERIFICATION = "slack/url_verification.json";
    public static final String SLACK_SIGNATURE_EXAMPLE = "slack/signature-example.form";
    public static final String JIRA_ISSUE_UPDATED = "jira/issue_updated.labels.json";
    public static final String JIRA_COMMENT_CREATED = "jira/comment_created.json";
    public static final String SENTRY_ISSUE_CREATED = "sentry/issue.created.json";
    public static final String SENTRY_EVENT_ALERT = "sentry/event_alert.triggered.json";
    public static final String SENTRY_INSTALLATION = "sentry/installation.created.json";

    public static final String FORM = "application/x-www-form-urlencoded";
    public static final String JSON_TYPE = "application/json";

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private VendorPayloads() {
    }

    public static byte[] raw(String name) {
        try (InputStream in = VendorPayloads.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] derive(String name, Consumer<Map<String, Object>> change) {
        try {
            Map<String, Object> payload = JSON.readValue(raw(name), Argument.mapOf(String.class, Object.class));
            change.accept(payload);
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    // ---- Slack -------------------------------------------------------------------------------------

    /** Slack's app_mention example with {@code eventId} and the given text. */
    public static byte[] appMention(String eventId, String text) {
        return derive(SLACK_APP_MENTION, p -> {
            p.put("event_id", eventId);
            map(p, "event").put("text", text);
        });
    }

    /** A slash command in Slack's form encoding (field names of api.slack.com/interactivity/slash-commands). */
    public static byte[] slashCommand(String text, String triggerId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "gIkuvaNzQIHg97ATvDxqgjtO");
        f.put("team_id", "T0001");
        f.put("team_domain", "example");
        f.put("enterprise_id", "E0001");
        f.put("enterprise_name", "Globular Construct Inc");
        f.put("channel_id", "C2147483705");
        f.put("channel_name", "test");
        f.put("user_id", "U2147483697");
        f.put("user_name", "Steve");
        f.put("command", "/agent");
        f.put("text", text);
        f.put("response_url", "https://hooks.slack.com/commands/1234/5678");
        f.put("trigger_id", triggerId);
        f.put("api_app_id", "A123456");
        List<String> pairs = new ArrayList<>();
        f.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
    }

    // ---- Jira --------------------------------------------------------------------------------------

    /** The issue_updated example turned into jira:issue_created of an issue with {@code labels}. */
    public static byte[] jiraIssueCreated(List<String> labels) {
        return derive(JIRA_ISSUE_UPDATED, p -> {
            p.put("webhookEvent", "jira:issue_created");
            p.put("issue_event_type_name", "issue_created");
            p.remove("changelog");
            map(map(p, "issue"), "fields").put("labels", labels);
        });
    }

    /** A comment_created whose body is {@code body} (a String, or an ADF map) by {@code authorAccountId}. */
    public static byte[] jiraComment(Object body, String authorAccountId) {
        return derive(JIRA_COMMENT_CREATED, p -> {
            map(p, "comment").put("body", body);
            map(map(p, "comment"), "author").put("accountId", authorAccountId);
        });
    }

    /** An ADF document: one paragraph with a mention of {@code accountId} followed by {@code text}. */
    public static Map<String, Object> adfMention(String accountId, String text) {
        return Map.of("type", "doc", "version", 1, "content", List.of(Map.of("type", "paragraph", "content", List.of(
                Map.of("type", "mention", "attrs", Map.of("id", accountId, "text", "@Agent")),
                Map.of("type", "text", "text", " " + text)))));
    }

    // ---- Sentry ------------------------------------------------------------------------------------

    /** Sentry's issue.created example with the documented {@code web_url} (and the given issue id). */
    public static byte[] sentryIssueCreated(String issueId) {
        return derive(SENTRY_ISSUE_CREATED, p -> {
            Map<String, Object> issue = map(map(p, "data"), "issue");
            issue.put("id", issueId);
            issue.put("url", "https://sentry.io/api/0/issues/" + issueId + "/");
            issue.put("web_url", "https://sentry.io/organizations/test-org/issues/" + issueId + "/");
            issue.put("project_url", "https://sentry.io/api/0/projects/test-org/front-end/");
        });
    }
}
