package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * GitHub's webhook signature: {@code X-Hub-Signature-256: sha256=<lower-case hex HMAC-SHA256 of the
 * raw body, keyed with the webhook secret>}. Checked on the exact bytes received, before parsing.
 */
public final class GithubSignature {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private GithubSignature() {
    }

    /** The header value GitHub sends for {@code body}. */
    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Constant-time comparison with the header exactly as received: no trimming, no case folding
     * (GitHub sends lower-case hex; anything else is not GitHub's signature).
     */
    public static boolean matches(byte[] body, String secret, @Nullable String header) {
        if (header == null || secret.isEmpty()) {
            return false;
        }
        byte[] expected = sign(body, secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }
}
