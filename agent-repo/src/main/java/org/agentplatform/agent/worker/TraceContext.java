package org.agentplatform.agent.worker;

import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * W3C trace context of a task: the queue message carries the {@code traceparent} the gateway started
 * with the webhook; the agent continues that trace (same trace id, a span id of its own) on its calls
 * to the vendor services, so one trace id is in the logs of gateway, agent and vendor service.
 * With the OpenTelemetry Java agent attached the task is a real CONSUMER span, exported, and current
 * while the task is handled (so the agent's instrumented calls are its children); without it the
 * OpenTelemetry API is a no-op and the span id is made here.
 */
public final class TraceContext {
    /** MDC keys: the trace id for log lines, the header value for outgoing calls. */
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_TRACEPARENT = "traceparent";
    private static final Pattern TRACEPARENT = Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(MDC_TRACEPARENT);
        }

        @Override
        public String get(@Nullable String carrier, String key) {
            return MDC_TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private TraceContext() {
    }

    /** The span of one task's handling, child of the message's traceparent (a no-op span without the Java agent). */
    public static Span taskSpan(@Nullable String traceparent, String taskId) {
        Context parent = traceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent.trim(), TRACEPARENT_ONLY);
        return GlobalOpenTelemetry.getTracer("org.agentplatform.agent").spanBuilder("agent task")
                .setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "redis").setAttribute("agentplatform.task_id", taskId)
                .startSpan();
    }

    /** The traceparent to log and send on: the recording span's own, else {@link #child} of the message's. */
    @Nullable
    public static String of(Span span, @Nullable String messageTraceparent) {
        SpanContext c = span.getSpanContext();
        if (span.isRecording() && c.isValid()) {
            return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
        }
        return child(messageTraceparent);
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
