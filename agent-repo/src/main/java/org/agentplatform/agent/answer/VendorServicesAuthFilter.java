package org.agentplatform.agent.answer;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.MutableHttpRequest;
import org.agentplatform.agent.worker.TraceContext;
import org.slf4j.MDC;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Our own service token ({@code SERVICE_TOKEN}) and the task's {@code traceparent} on every call to the four vendor services. */
@ClientFilter(serviceId = {"github-service", "slack-service", "jira-service", "sentry-service"})
public class VendorServicesAuthFilter {
    private final String token;

    public VendorServicesAuthFilter(@Value("${agent.service-token:}") String token) {
        this.token = token == null ? "" : token.trim();
    }

    @RequestFilter
    public void addToken(MutableHttpRequest<?> request) {
        if (!token.isEmpty()) {
            request.bearerAuth(token);
        }
        // the task's trace continues into the vendor service (set by the worker for the task it runs)
        String traceparent = MDC.get(TraceContext.MDC_TRACEPARENT);
        if (traceparent != null && !request.getHeaders().contains(TraceContext.MDC_TRACEPARENT)) {
            request.header(TraceContext.MDC_TRACEPARENT, traceparent);
        }
    }
}
