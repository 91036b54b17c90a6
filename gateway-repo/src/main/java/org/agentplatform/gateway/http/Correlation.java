package org.agentplatform.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import org.agentplatform.gateway.task.Traceparent;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The correlation id: created per request (or taken from a valid incoming {@code X-Correlation-Id}),
 * carried on every queue message, outgoing call and log line of the work it starts.
 */
public final class Correlation {

    /** The SLF4J MDC key every log line shows. */
    public static final String MDC_KEY = "correlation_id";
    /** The W3C trace id of the task's traceparent, beside the correlation id on every line of its work. */
    public static final String TRACE_MDC_KEY = "trace_id";
    public static final String HEADER = "X-Correlation-Id";
    /** Request attribute holding the id the {@link CorrelationIdFilter} chose. */
    public static final String ATTRIBUTE = "gateway.correlation_id";
    /** Request attribute holding the traceparent the {@link CorrelationIdFilter} continued or started. */
    public static final String TRACEPARENT_ATTRIBUTE = "gateway.traceparent";

    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private Correlation() {
    }

    public static boolean isValid(@Nullable String id) {
        return id != null && VALID.matcher(id).matches();
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The trace context the {@link CorrelationIdFilter} chose for this request (the header when it did not run). */
    @Nullable
    public static String traceparent(HttpRequest<?> request) {
        return request.getAttribute(TRACEPARENT_ATTRIBUTE, String.class)
                .orElseGet(() -> request.getHeaders().get(Traceparent.HEADER));
    }

    /** The id of the current thread's work, or a new one when there is none. */
    public static String currentOrNew() {
        String id = MDC.get(MDC_KEY);
        return isValid(id) ? id : newId();
    }

    /**
     * Puts {@code id} in the MDC until the returned scope is closed, then restores what was there
     * (background work: the outbox relay, the enqueue and the reaction run on other threads than
     * the request, and may nest).
     */
    public static Scope scope(String id) {
        return put(MDC_KEY, id);
    }

    /** Correlation id and the trace id of {@code traceparent} (when valid) in the MDC until closed. */
    public static Scope scope(String id, @Nullable String traceparent) {
        Scope correlation = put(MDC_KEY, id);
        if (!Traceparent.isValid(traceparent)) {
            return correlation;
        }
        Scope trace = put(TRACE_MDC_KEY, Traceparent.traceId(traceparent));
        return () -> {
            trace.close();
            correlation.close();
        };
    }

    private static Scope put(String key, String value) {
        String previous = MDC.get(key);
        MDC.put(key, value);
        return () -> {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        };
    }

    /** A correlation id in the MDC; closing it restores the previous one. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
