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
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationFilter implements Ordered {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
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
        propagatedContext.add(new MdcPropagationContext(Map.of(MDC_KEY, correlationId)));
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
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, correlationId);
        try {
            ACCESS.info("{} {} -> {} in {} ms", request.getMethod(), request.getPath(), response.code(), took);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /** The correlation id of the request being served on this thread (always set inside a request). */
    public static String current() {
        String id = MDC.get(MDC_KEY);
        return id == null ? UUID.randomUUID().toString() : id;
    }
}
