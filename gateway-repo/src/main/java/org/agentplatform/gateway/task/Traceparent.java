package org.agentplatform.gateway.task;

import io.micronaut.core.annotation.Nullable;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}). The gateway does not trace itself: it passes a valid
 * incoming header on unchanged, or starts a new trace when there is none (or it is invalid).
 */
public final class Traceparent {

    public static final String HEADER = "traceparent";
    private static final Pattern FORMAT = Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Traceparent() {
    }

    public static boolean isValid(@Nullable String value) {
        return value != null
                && FORMAT.matcher(value).matches()
                && !value.startsWith("ff")
                && !value.substring(3, 35).equals("0".repeat(32))
                && !value.substring(36, 52).equals("0".repeat(16));
    }

    /** The trace id of a traceparent (its 32 hex digits), or "none" when there is no valid one. */
    public static String traceId(@Nullable String value) {
        return isValid(value) ? value.substring(3, 35) : "none";
    }

    public static String orNew(@Nullable String incoming) {
        return isValid(incoming) ? incoming : generate();
    }

    public static String generate() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }
}
