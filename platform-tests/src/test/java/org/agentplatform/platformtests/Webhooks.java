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
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private Webhooks() {}
}
