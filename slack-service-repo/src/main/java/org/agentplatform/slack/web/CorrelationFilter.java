package org.agentplatform.slack.web;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes {@code X-Correlation-Id} from the request (or makes a UUID), puts it into the SLF4J MDC as
 * {@code correlation_id} for every log line of the request, whatever thread runs it, and echoes it
 * in the response. Runs before everything else, the service-token check included. The trace id of an
 * incoming W3C {@code traceparent} goes into the MDC key {@code trace_id} (the key OpenTelemetry's logback
 * MDC instrumentation uses too), and one access-log line is written per request.
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
    private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("org.agentplatform.slack.access");
    /** Request attribute: the correlation id of this request. */
    public static final String ATTRIBUTE = "agentplatform.correlation-id";
    /** Request attribute set when an Idempotency-Key replayed an earlier answer. */
    public static final String REPLAYED_ATTRIBUTE = "agentplatform.idempotent-replayed";

    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    @RequestFilter
    public void correlate(HttpRequest<?> request, MutablePropagatedContext context) {
        String given = request.getHeaders().get(HEADER);
        // an unusable id (too long, odd characters) is not copied into logs; validation reports it
        String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        Map<String, String> mdc = new HashMap<>();
        Map<String, String> current = MDC.getCopyOfContextMap();
        if (current != null) {
            mdc.putAll(current);
        }
        mdc.put(MDC_KEY, id);
        mdc.putAll(traceEntries(request));
        context.add(new MdcPropagationContext(mdc));
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ATTRIBUTE, String.class).ifPresent(id -> {
            response.getHeaders().set(HEADER, id);
            accessLog(request, response, id);
        });
        if (request.getAttribute(REPLAYED_ATTRIBUTE, Boolean.class).orElse(false)) {
            response.getHeaders().set("Idempotent-Replayed", "true");
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 100;
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
