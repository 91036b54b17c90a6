package org.agentplatform.jira.web;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.MDC;

/**
 * Puts {@code X-Correlation-Id} (or a new UUID) into the SLF4J MDC key {@code correlation_id} for
 * everything done for the request, propagated to the executor that runs the controller, and echoes
 * it in the response. Also turns {@link ResponseHints} into {@code X-Dry-Run} and
 * {@code Idempotent-Replayed} headers. The trace id of an incoming W3C {@code traceparent} goes into the
 * MDC key {@code trace_id} (the key OpenTelemetry's logback MDC instrumentation uses too), and one
 * access-log line is written per request.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationFilter implements Ordered {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
    public static final String TRACE_MDC_KEY = "trace_id";
    /** W3C Trace Context: version-traceid-parentid-flags; an all-zero trace id is invalid. */
    private static final java.util.regex.Pattern TRACEPARENT =
            java.util.regex.Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String TRACE_ATTRIBUTE = "agentplatform.trace_id";
    private static final String STARTED = "agentplatform.started_nanos";
    private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("org.agentplatform.jira.access");
    private static final String ATTRIBUTE = "jira-service.correlation-id";
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    @RequestFilter
    public void correlate(HttpRequest<?> request, MutablePropagatedContext context) {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && VALID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        java.util.Map<String, String> mdc = new java.util.HashMap<>(traceEntries(request));
        mdc.put(MDC_KEY, id);
        context.add(new MdcPropagationContext(mdc));
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ATTRIBUTE, String.class).ifPresent(id -> {
            response.header(HEADER, id);
            accessLog(request, response, id);
        });
        if (ResponseHints.isSet(request, ResponseHints.DRY_RUN)) {
            response.header("X-Dry-Run", "true");
        }
        if (ResponseHints.isSet(request, ResponseHints.REPLAYED)) {
            response.header("Idempotent-Replayed", "true");
        }
    }

    /** The correlation id of the current request: the caller's header if valid, else the one generated. */
    public static String current(String fromHeader) {
        if (fromHeader != null && VALID.matcher(fromHeader).matches()) {
            return fromHeader;
        }
        String mdc = MDC.get(MDC_KEY);
        return mdc != null ? mdc : fromHeader;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    /** The trace id of a valid {@code traceparent} header, else null (a malformed one is ignored, never logged). */
    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        java.util.regex.Matcher m = TRACEPARENT.matcher(traceparent.trim());
        return m.matches() && !m.group(1).equals("0".repeat(32)) ? m.group(1) : null;
    }

    /** Remembers the start time and the trace id; returns the MDC entries every line of the request carries. */
    private static java.util.Map<String, String> traceEntries(HttpRequest<?> request) {
        request.setAttribute(STARTED, System.nanoTime());
        String traceId = traceId(request.getHeaders().get("traceparent"));
        if (traceId == null) {
            return java.util.Map.of();
        }
        request.setAttribute(TRACE_ATTRIBUTE, traceId);
        return java.util.Map.of(TRACE_MDC_KEY, traceId);
    }

    /** One access-log line per request, with its correlation id and trace id (the JSON logs' join keys). */
    private static void accessLog(HttpRequest<?> request, MutableHttpResponse<?> response, String correlationId) {
        long took = request.getAttribute(STARTED, Long.class).map(t -> (System.nanoTime() - t) / 1_000_000).orElse(-1L);
        String traceId = request.getAttribute(TRACE_ATTRIBUTE, String.class).orElse(null);
        String previous = org.slf4j.MDC.get(MDC_KEY);
        String previousTrace = org.slf4j.MDC.get(TRACE_MDC_KEY);
        org.slf4j.MDC.put(MDC_KEY, correlationId);
        if (traceId != null) {
            org.slf4j.MDC.put(TRACE_MDC_KEY, traceId);
        }
        try {
            ACCESS.info("{} {} -> {} in {} ms", request.getMethod(), request.getPath(), response.code(), took);
        } finally {
            restore(MDC_KEY, previous);
            restore(TRACE_MDC_KEY, previousTrace);
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            org.slf4j.MDC.remove(key);
        } else {
            org.slf4j.MDC.put(key, previous);
        }
    }
}
