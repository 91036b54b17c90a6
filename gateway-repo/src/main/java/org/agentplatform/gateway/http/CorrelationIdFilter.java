package org.agentplatform.gateway.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.agentplatform.gateway.task.Traceparent;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives every request a correlation id (a valid incoming {@code X-Correlation-Id}, else a new UUID),
 * puts it in the MDC of every thread that works on the request and echoes it in the response.
 * The request's trace context is decided here too (a valid incoming {@code traceparent} is
 * continued, otherwise a new trace starts), so its trace id is on every line of the request and
 * the task it creates carries the same trace.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationIdFilter implements Ordered {

    @RequestFilter
    public void before(HttpRequest<?> request, MutablePropagatedContext propagated) {
        String incoming = request.getHeaders().get(Correlation.HEADER);
        String id = Correlation.isValid(incoming) ? incoming : Correlation.newId();
        request.setAttribute(Correlation.ATTRIBUTE, id);
        String traceparent = Traceparent.orNew(request.getHeaders().get(Traceparent.HEADER));
        request.setAttribute(Correlation.TRACEPARENT_ATTRIBUTE, traceparent);
        Map<String, String> mdc = new HashMap<>();
        Map<String, String> current = MDC.getCopyOfContextMap();
        if (current != null) {
            mdc.putAll(current);
        }
        mdc.put(Correlation.MDC_KEY, id);
        mdc.put(Correlation.TRACE_MDC_KEY, Traceparent.traceId(traceparent));
        propagated.add(new MdcPropagationContext(mdc));
    }

    @ResponseFilter
    public void after(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(Correlation.ATTRIBUTE, String.class)
                .ifPresent(id -> response.getHeaders().set(Correlation.HEADER, id));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
