package org.agentplatform.gateway.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

/** Signs test requests the way Slack, Jira and Sentry do (independently of the gateway's code). */
public final class VendorSigner {

    private VendorSigner() {
    }

    /** Lower-case hex HMAC-SHA256 of {@code data}. */
    public static String hex(byte[] data, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(data)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Slack: v0= + HMAC of "v0:{timestamp}:{body}". */
    public static String slack(String timestamp, byte[] body, String secret) {
        byte[] prefix = ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(body, 0, all, prefix.length, body.length);
        return "v0=" + hex(all, secret);
    }
}
