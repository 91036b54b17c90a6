package org.agentplatform.agent.answer;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Our own service token ({@code SERVICE_TOKEN}) on every call to github-service. */
@ClientFilter(serviceId = "github-service")
public class GithubServiceAuthFilter {
    private final String token;

    public GithubServiceAuthFilter(@Value("${agent.service-token:}") String token) {
        this.token = token == null ? "" : token.trim();
    }

    @RequestFilter
    public void addToken(MutableHttpRequest<?> request) {
        if (!token.isEmpty()) {
            request.bearerAuth(token);
        }
    }
}
