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
 * {@code Idempotent-Replayed} headers.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CorrelationFilter implements Ordered {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlation_id";
    private static final String ATTRIBUTE = "jira-service.correlation-id";
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    @RequestFilter
    public void correlate(HttpRequest<?> request, MutablePropagatedContext context) {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && VALID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        context.add(new MdcPropagationContext(Map.of(MDC_KEY, id)));
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ATTRIBUTE, String.class).ifPresent(id -> response.header(HEADER, id));
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
}
