package org.agentplatform.dashboard.web;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.annotation.Nullable;
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

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request's log lines carry {@code correlation_id} (a valid incoming {@code X-Correlation-Id},
 * else a new UUID, echoed in the response) and, when the caller sent a W3C {@code traceparent}, its
 * {@code trace_id}: the MDC keys the other services use, so one action can be followed from the
 * dashboard into the agent's and the gateway's logs (the upstream calls carry the id on).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationFilter implements Ordered {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
    public static final String TRACE_MDC_KEY = "trace_id";
    private static final String ATTRIBUTE = "dashboard.correlation_id";
    private static final String STARTED = "dashboard.started_nanos";
    private static final String TRACE_ATTRIBUTE = "dashboard.trace_id";
    private static final Logger ACCESS = LoggerFactory.getLogger("org.agentplatform.dashboard.access");
    /** The contracts' pattern for the header; anything else is replaced, never logged verbatim. */
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request, MutablePropagatedContext propagated) {
        String header = request.getHeaders().get(HEADER);
        String id = header != null && VALID.matcher(header).matches() ? header : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        request.setAttribute(STARTED, System.nanoTime());
        Map<String, String> mdc = new HashMap<>();
        mdc.put(MDC_KEY, id);
        String traceId = traceId(request.getHeaders().get("traceparent"));
        if (traceId != null) {
            request.setAttribute(TRACE_ATTRIBUTE, traceId);
            mdc.put(TRACE_MDC_KEY, traceId);
        }
        propagated.add(new MdcPropagationContext(mdc));
    }

    /** Echoes the id and writes one access line under it (the response filter may run on another thread). */
    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getAttribute(ATTRIBUTE, String.class).orElse(null);
        if (id == null) {
            return;
        }
        response.header(HEADER, id);
        long took = request.getAttribute(STARTED, Long.class).map(t -> (System.nanoTime() - t) / 1_000_000).orElse(-1L);
        String traceId = request.getAttribute(TRACE_ATTRIBUTE, String.class).orElse(null);
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id);
             MDC.MDCCloseable alsoIgnored = traceId == null ? null : MDC.putCloseable(TRACE_MDC_KEY, traceId)) {
            ACCESS.info("{} {} -> {} in {} ms", request.getMethod(), request.getPath(), response.code(), took);
        }
    }

    @Nullable
    static String traceId(@Nullable String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.trim());
        return m.matches() && !m.group(1).equals("0".repeat(32)) ? m.group(1) : null;
    }
}
