package org.agentplatform.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signed, unique GitHub issue_comment deliveries: GitHub's own sample payload (octokit/webhooks
 * payload-examples/api.github.com/issue_comment/created.payload.json, as platform-tests uses it)
 * with a comment that mentions @agent; each delivery gets its own X-GitHub-Delivery and comment id
 * so the gateway really stores and enqueues every one (it dedupes on the delivery id).
 */
final class Deliveries {
    static final String PLACEHOLDER = "@@CID@@";
    private static final String SENTINEL = "987654321012345";
    static final ObjectMapper JSON = new ObjectMapper();

    final String secret;
    /** The compact JSON body with {@link #PLACEHOLDER} where the comment id goes. */
    final String template;
    private final AtomicLong nextCommentId;

    Deliveries(String secret, long firstCommentId) throws IOException {
        this.secret = secret;
        this.nextCommentId = new AtomicLong(firstCommentId);
        try (InputStream in = Deliveries.class.getResourceAsStream("/issue_comment.created.json")) {
            ObjectNode payload = (ObjectNode) JSON.readTree(in);
            ObjectNode comment = (ObjectNode) payload.get("comment");
            comment.put("body", "@agent bench: please summarise this issue");
            comment.put("id", Long.parseLong(SENTINEL));
            comment.put("html_url", "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-" + SENTINEL);
            String json = JSON.writeValueAsString(payload);
            if (json.split(SENTINEL, -1).length != 3) {
                throw new IllegalStateException("sample payload: comment id sentinel not found exactly twice");
            }
            template = json.replace(SENTINEL, PLACEHOLDER);
        }
    }

    long nextCommentId() {
        return nextCommentId.getAndIncrement();
    }

    byte[] body(long commentId) {
        return template.replace(PLACEHOLDER, Long.toString(commentId)).getBytes(StandardCharsets.UTF_8);
    }

    String signature(byte[] body) {
        return "sha256=" + hmacHex(body);
    }

    String hmacHex(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
