package org.agentplatform.agent.answer;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Our own service token ({@code SERVICE_TOKEN}) on every call to the four vendor services. */
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
    }
}
