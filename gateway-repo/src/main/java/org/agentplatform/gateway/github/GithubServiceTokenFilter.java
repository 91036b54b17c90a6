package org.agentplatform.gateway.github;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this service's own token ({@code SERVICE_TOKEN}) as {@code Authorization: Bearer} on every
 * call of the generated github-service client ({@code @Client(id = "github-service")}).
 */
@ClientFilter(serviceId = "github-service")
public class GithubServiceTokenFilter {

    private static final Logger LOG = LoggerFactory.getLogger(GithubServiceTokenFilter.class);

    private final String token;

    public GithubServiceTokenFilter(@Value("${gateway.auth.service-token:}") @Nullable String token) {
        this.token = token == null ? "" : token.trim();
        if (this.token.isEmpty()) {
            LOG.warn("SERVICE_TOKEN is empty: calls to github-service carry no token"
                    + " (only a github-service in open mode accepts them)");
        }
    }

    @RequestFilter
    public void addToken(MutableHttpRequest<?> request) {
        if (!token.isEmpty()) {
            request.bearerAuth(token);
        }
    }
}
