package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.http.ProblemException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The steps every webhook controller takes before its vendor-specific work. */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    /** The raw body, refused with 413 when larger than the limit. */
    public static byte[] body(@Nullable byte[] body, long maxBodyBytes) {
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > maxBodyBytes) {
            throw new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The body is " + raw.length + " bytes; the limit is " + maxBodyBytes);
        }
        return raw;
    }

    /** 401 when the vendor's secret is not configured: nothing unsigned is ever accepted. */
    public static void requireSecret(boolean configured, String vendor, String envVar) {
        if (!configured) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, envVar + " is not set on the gateway, so no "
                    + vendor + " request can be verified and all are refused: set " + envVar);
        }
    }

    /** A header that must match {@code valid} when present (400 naming it otherwise). */
    @Nullable
    public static String header(HttpRequest<?> request, String name, Pattern valid, boolean required) {
        String value = request.getHeaders().get(name);
        if (value == null) {
            if (required) {
                throw ProblemException.badField(name, "is required");
            }
            return null;
        }
        if (!valid.matcher(value).matches()) {
            throw ProblemException.badField(name, "must match " + valid.pattern());
        }
        return value;
    }

    public static String correlationId(HttpRequest<?> request) {
        return request.getAttribute(Correlation.ATTRIBUTE, String.class).orElseGet(Correlation::currentOrNew);
    }

    /** A delivery id for vendors whose id header is optional: the SHA-256 of the body. */
    public static String bodyHash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String utf8(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
