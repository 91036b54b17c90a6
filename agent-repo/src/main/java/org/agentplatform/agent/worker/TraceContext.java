package org.agentplatform.agent.worker;

import io.micronaut.core.annotation.Nullable;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C trace context of a task: the queue message carries the {@code traceparent} the gateway started
 * with the webhook; the agent continues that trace (same trace id, a span id of its own) on its calls
 * to the vendor services, so one trace id is in the logs of gateway, agent and vendor service.
 */
public final class TraceContext {
    /** MDC keys: the trace id for log lines, the header value for outgoing calls. */
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_TRACEPARENT = "traceparent";
    private static final Pattern TRACEPARENT = Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceContext() {
    }

    /** The trace id of a valid traceparent, else null. */
    @Nullable
    public static String traceId(@Nullable String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.trim());
        return m.matches() && !m.group(1).equals("0".repeat(32)) ? m.group(1) : null;
    }

    /** The traceparent of this agent's span in that trace: same trace id and flags, a new span id. */
    @Nullable
    public static String child(@Nullable String traceparent) {
        String traceId = traceId(traceparent);
        if (traceId == null) {
            return null;
        }
        byte[] span = new byte[8];
        RANDOM.nextBytes(span);
        return "00-" + traceId + "-" + HexFormat.of().formatHex(span) + "-" + traceparent.trim().substring(53);
    }
}
