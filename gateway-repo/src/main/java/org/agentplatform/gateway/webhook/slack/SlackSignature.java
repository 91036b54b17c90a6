package org.agentplatform.gateway.webhook.slack;

import io.micronaut.core.annotation.Nullable;
import org.agentplatform.gateway.webhook.Hmac;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Slack's request signature (api.slack.com/authentication/verifying-requests-from-slack):
 * {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}">}
 * keyed with the app's signing secret, and the timestamp within 5 minutes of now (replay protection).
 */
public final class SlackSignature {

    public static final String HEADER = "X-Slack-Signature";
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";

    private SlackSignature() {
    }

    /** The header value Slack sends for {@code body} at {@code timestamp}. */
    public static String sign(String timestamp, byte[] body, String secret) {
        return "v0=" + Hmac.sha256Hex(secret, ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body);
    }

    public static boolean matches(String timestamp, byte[] body, String secret, @Nullable String header) {
        return !secret.isEmpty() && Hmac.matches(sign(timestamp, body, secret), header);
    }

    /** True when {@code timestamp} (epoch seconds) is no further than {@code skew} from {@code now}, either way. */
    public static boolean fresh(long timestamp, Instant now, Duration skew) {
        return Math.abs(now.getEpochSecond() - timestamp) <= skew.getSeconds();
    }
}
