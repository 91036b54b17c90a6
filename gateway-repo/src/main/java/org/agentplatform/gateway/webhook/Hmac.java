package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * HMAC-SHA256 as every vendor signs its webhooks (GitHub, Slack, Jira, Sentry differ only in the
 * prefix and in what is signed), and the constant-time comparison of the result.
 */
public final class Hmac {

    private Hmac() {
    }

    /** Lower-case hex HMAC-SHA256 of the concatenated {@code parts}, keyed with {@code secret}. */
    public static String sha256Hex(String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Constant-time comparison of the expected header value with the one received, exactly as
     * received (no trimming or case folding: the vendors send lower-case hex).
     */
    public static boolean matches(String expected, @Nullable String received) {
        if (received == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                received.getBytes(StandardCharsets.UTF_8));
    }
}
