package org.agentplatform.dashboard.upstream;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import org.agentplatform.dashboard.web.CorrelationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends the dashboard's own token ({@code SERVICE_TOKEN}) on every call of the generated clients, and
 * the request's correlation id when there is one, so the upstream service logs under the same id.
 */
@ClientFilter(serviceId = {"agent", "gateway", "github-service", "jira-service", "slack-service", "sentry-service"})
public class ServiceTokenClientFilter {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokenClientFilter.class);

    private final String token;

    public ServiceTokenClientFilter(@Value("${dashboard.service-token:}") @Nullable String token) {
        this.token = token == null ? "" : token.trim();
        if (this.token.isEmpty()) {
            LOG.warn("SERVICE_TOKEN is empty: calls to the other services carry no token (only services in open mode accept them)");
        }
    }

    @RequestFilter
    public void addToken(MutableHttpRequest<?> request) {
        if (!token.isEmpty()) {
            request.bearerAuth(token);
        }
        String correlationId = MDC.get(CorrelationFilter.MDC_KEY);
        if (correlationId != null && !request.getHeaders().contains(CorrelationFilter.HEADER)) {
            request.header(CorrelationFilter.HEADER, correlationId);
        }
    }
}
