package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/** Builds and sends webhook deliveries the way the vendors do: their payloads, their signatures. */
final class Webhooks {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GitHub's own sample issue_comment.created payload with our comment body and id. */
    static byte[] githubIssueComment(String body, long commentId) throws IOException {
        try (InputStream in = Webhooks.class.getResourceAsStream("/github/issue_comment.created.json")) {
            ObjectNode payload = (ObjectNode) JSON.readTree(in);
            ObjectNode comment = (ObjectNode) payload.get("comment");
            comment.put("body", body);
            comment.put("id", commentId);
            comment.put("html_url", "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-" + commentId);
            return JSON.writeValueAsBytes(payload);
        }
    }

    static String hmacSha256Hex(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a GitHub delivery; signature null sends it unsigned. */
    static HttpResponse<String> sendGithub(String gatewayUrl, String event, String deliveryId, byte[] body,
                                           String secretOrNull) throws IOException, InterruptedException {
        return HTTP.send(github(gatewayUrl, event, deliveryId, body, secretOrNull), HttpResponse.BodyHandlers.ofString());
    }

    /** A GitHub delivery as GitHub sends it; secret null leaves it unsigned. */
    static HttpRequest github(String gatewayUrl, String event, String deliveryId, byte[] body, String secretOrNull) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhooks/github"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/044aadd")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", deliveryId)
                .header("X-GitHub-Hook-ID", "292430182")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secretOrNull != null) {
            b.header("X-Hub-Signature-256", "sha256=" + hmacSha256Hex(secretOrNull, body));
        }
        return b.build();
    }

    /** Slack's app_mention example with our own event id, message ts and text (mention kept). */
    static byte[] slackAppMention(String eventId, String ts, String text) throws IOException {
        ObjectNode payload = (ObjectNode) JSON.readTree(FakeVendors.resource("slack/app_mention.event_callback.json"));
        payload.put("event_id", eventId);
        ObjectNode event = (ObjectNode) payload.get("event");
        event.put("ts", ts);
        event.put("event_ts", ts);
        event.put("text", "<@U0LAN0Z89> " + text);
        return JSON.writeValueAsBytes(payload);
    }

    /** Slack's slash-command example (form-encoded) with our text, trigger id and response_url. */
    static byte[] slackSlashCommand(String text, String triggerId, String responseUrl) {
        String form = FakeVendors.resource("slack/slash_command.form.txt").strip()
                .replace("text=94070", "text=" + enc(text))
                .replace("trigger_id=13345224609.738474920.8088930838d88f008e0", "trigger_id=" + enc(triggerId))
                .replace("response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678", "response_url=" + enc(responseUrl));
        return form.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * POSTs to /webhooks/slack signed the way Slack signs: v0=hex(HMAC-SHA256("v0:" + ts + ":" + body)).
     * secretOrNull null sends no signature; retryNum null sends no X-Slack-Retry-Num.
     */
    static HttpResponse<String> sendSlack(String gatewayUrl, String contentType, byte[] body, String secretOrNull,
                                          long timestampSeconds, String retryNum) throws IOException, InterruptedException {
        return HTTP.send(slack(gatewayUrl, contentType, body, secretOrNull, timestampSeconds, retryNum),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A Slack request as Slack sends it (see {@link #sendSlack}). */
    static HttpRequest slack(String gatewayUrl, String contentType, byte[] body, String secretOrNull,
                             long timestampSeconds, String retryNum) {
        String ts = Long.toString(timestampSeconds);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhooks/slack"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .header("X-Slack-Request-Timestamp", ts)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secretOrNull != null) {
            byte[] base = ("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8);
            byte[] signed = new byte[base.length + body.length];
            System.arraycopy(base, 0, signed, 0, base.length);
            System.arraycopy(body, 0, signed, base.length, body.length);
            b.header("X-Slack-Signature", "v0=" + hmacSha256Hex(secretOrNull, signed));
        }
        if (retryNum != null) {
            b.header("X-Slack-Retry-Num", retryNum).header("X-Slack-Retry-Reason", "http_timeout");
        }
        return b.build();
    }

    /** POSTs a Jira Cloud webhook: X-Hub-Signature: sha256=hex(HMAC-SHA256(body)), with its identifier. */
    static HttpResponse<String> sendJira(String gatewayUrl, byte[] body, String secretOrNull, String identifier)
            throws IOException, InterruptedException {
        return HTTP.send(jira(gatewayUrl, body, secretOrNull, identifier), HttpResponse.BodyHandlers.ofString());
    }

    /** A Jira Cloud webhook delivery as Jira sends it (see {@link #sendJira}). */
    static HttpRequest jira(String gatewayUrl, byte[] body, String secretOrNull, String identifier) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhooks/jira"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Atlassian Webhook HTTP Client")
                .header("X-Atlassian-Webhook-Identifier", identifier)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secretOrNull != null) {
            b.header("X-Hub-Signature", "sha256=" + hmacSha256Hex(secretOrNull, body));
        }
        return b.build();
    }

    /** POSTs a Sentry integration webhook: Sentry-Hook-Signature = hex(HMAC-SHA256(body, client secret)). */
    static HttpResponse<String> sendSentry(String gatewayUrl, String resource, byte[] body, String secretOrNull,
                                           String requestId) throws IOException, InterruptedException {
        return HTTP.send(sentry(gatewayUrl, resource, body, secretOrNull, requestId), HttpResponse.BodyHandlers.ofString());
    }

    /** A Sentry integration webhook delivery as Sentry sends it (see {@link #sendSentry}). */
    static HttpRequest sentry(String gatewayUrl, String resource, byte[] body, String secretOrNull, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhooks/sentry"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Sentry")
                .header("Sentry-Hook-Resource", resource)
                .header("Sentry-Hook-Timestamp", Long.toString(System.currentTimeMillis() / 1000))
                .header("Request-ID", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secretOrNull != null) {
            b.header("Sentry-Hook-Signature", hmacSha256Hex(secretOrNull, body));
        }
        return b.build();
    }

    /** Sentry's issue.created example for another issue: its own id, short id and links. */
    static byte[] sentryIssueCreated(long issueId) throws IOException {
        ObjectNode payload = (ObjectNode) JSON.readTree(FakeVendors.resource("sentry/issue.created.json"));
        ObjectNode issue = (ObjectNode) payload.get("data").get("issue");
        String example = issue.path("id").asText();
        for (String field : new String[] {"url", "web_url", "project_url", "permalink"}) {
            if (issue.hasNonNull(field)) {
                issue.put(field, issue.get(field).asText().replace(example, Long.toString(issueId)));
            }
        }
        issue.put("id", Long.toString(issueId));
        issue.put("shortId", "BACKEND-" + Long.toString(issueId, 36).toUpperCase());
        return JSON.writeValueAsBytes(payload);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private Webhooks() {}
}
