package org.agentplatform.github.web;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Correlation: the caller's {@code X-Correlation-Id} (or a new UUID) goes into the SLF4J MDC key
 * {@code correlation_id} for everything done for the request (propagated to the blocking thread that runs
 * the controller), is stored with every outbound call, and is echoed in the response. Also writes one
 * access-log line per request and marks replayed idempotent answers ({@code Idempotent-Replayed: true}).
 * The trace id of an incoming W3C {@code traceparent} goes into the MDC key {@code trace_id} (the key
 * OpenTelemetry's logback MDC instrumentation uses too), so JSON logs can be joined across services.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationFilter implements Ordered {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
    public static final String TRACE_MDC_KEY = "trace_id";
    /** W3C Trace Context: version-traceid-parentid-flags; an all-zero trace id is invalid. */
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String TRACE_ATTRIBUTE = "agentplatform.trace_id";
    /** Request attribute holding the correlation id. */
    public static final String ATTRIBUTE = "agentplatform.correlation_id";
    private static final String STARTED = "agentplatform.started_nanos";
    /** Request attribute set when an Idempotency-Key's stored result was replayed: adds {@code Idempotent-Replayed: true}. */
    public static final String REPLAYED = "agentplatform.idempotent_replayed";
    /** The contract's pattern for the header; anything else is replaced, never logged verbatim. */
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final Logger ACCESS = LoggerFactory.getLogger("org.agentplatform.github.access");

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request, MutablePropagatedContext propagatedContext) {
        String header = request.getHeaders().get(HEADER);
        String correlationId = header != null && VALID.matcher(header).matches() ? header : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, correlationId);
        request.setAttribute(STARTED, System.nanoTime());
        String traceId = traceId(request.getHeaders().get("traceparent"));
        if (traceId != null) {
            request.setAttribute(TRACE_ATTRIBUTE, traceId);
            propagatedContext.add(new MdcPropagationContext(Map.of(MDC_KEY, correlationId, TRACE_MDC_KEY, traceId)));
        } else {
            propagatedContext.add(new MdcPropagationContext(Map.of(MDC_KEY, correlationId)));
        }
    }

    /** The trace id of a valid {@code traceparent} header, else null (a malformed one is ignored, never logged). */
    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.trim());
        return m.matches() && !m.group(1).equals("0".repeat(32)) ? m.group(1) : null;
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String correlationId = request.getAttribute(ATTRIBUTE, String.class).orElse(null);
        if (correlationId == null) {
            return;
        }
        response.header(HEADER, correlationId);
        if (request.getAttribute(REPLAYED, Boolean.class).orElse(false)) {
            response.header("Idempotent-Replayed", "true");
        }
        long took = request.getAttribute(STARTED, Long.class).map(t -> (System.nanoTime() - t) / 1_000_000).orElse(-1L);
        String traceId = request.getAttribute(TRACE_ATTRIBUTE, String.class).orElse(null);
        String previous = MDC.get(MDC_KEY);
        String previousTrace = MDC.get(TRACE_MDC_KEY);
        MDC.put(MDC_KEY, correlationId);
        if (traceId != null) {
            MDC.put(TRACE_MDC_KEY, traceId);
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
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** The correlation id of the request being served on this thread (always set inside a request). */
    public static String current() {
        String id = MDC.get(MDC_KEY);
        return id == null ? UUID.randomUUID().toString() : id;
    }
}
