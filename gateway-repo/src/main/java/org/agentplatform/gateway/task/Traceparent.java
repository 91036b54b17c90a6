package org.agentplatform.gateway.task;

import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.api.trace.SpanContext;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}) of a request and the task it creates: a valid incoming
 * header is continued, else a new trace starts (or it is invalid). With the OpenTelemetry Java agent
 * attached the task's own span in that trace is exported ({@link #ofTaskSpan}); without it the
 * gateway exports nothing.
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

    /**
     * The traceparent a new task carries: with the Java agent attached, that of a PRODUCER span
     * "task queued" in the request's trace (exported, so the gateway's part of the trace is there
     * whether or not its HTTP server span was current here); without it, the request's own.
     */
    public static String ofTaskSpan(String requestTraceparent, String taskId) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), requestTraceparent, ONLY_VALUE);
        Span span = GlobalOpenTelemetry.getTracer("org.agentplatform.gateway").spanBuilder("task queued")
                .setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "redis").setAttribute("agentplatform.task_id", taskId).startSpan();
        try {
            return span.isRecording() ? of(span.getSpanContext()) : requestTraceparent;
        } finally {
            span.end();
        }
    }

    /** A carrier that is the traceparent value itself. */
    private static final TextMapGetter<String> ONLY_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(HEADER);
        }

        @Override
        public String get(@Nullable String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private static String of(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    public static String generate() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }
}
