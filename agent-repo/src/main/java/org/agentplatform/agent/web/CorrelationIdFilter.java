package org.agentplatform.agent.web;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code X-Correlation-Id} (or a new UUID) into the MDC key {@code correlation_id} for every log
 * line of the request, and echoed in the response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationIdFilter implements Ordered {
    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    @RequestFilter
    public void in(HttpRequest<?> request, MutablePropagatedContext context) {
        String id = request.getHeaders().get(HEADER);
        if (id == null || !VALID.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        request.setAttribute(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
        try {
            context.add(new MdcPropagationContext());
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    @ResponseFilter
    public void out(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(MDC_KEY, String.class).ifPresent(id -> response.header(HEADER, id));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
