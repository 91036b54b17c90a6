package org.agentplatform.gateway.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this service's own token ({@code SERVICE_TOKEN}) as {@code Authorization: Bearer} on every
 * call of the generated vendor-service clients (github-service, slack-service, sentry-service).
 */
@ClientFilter(serviceId = {"github-service", "slack-service", "sentry-service"})
public class VendorServiceTokenFilter {

    private static final Logger LOG = LoggerFactory.getLogger(VendorServiceTokenFilter.class);

    private final String token;

    public VendorServiceTokenFilter(@Value("${gateway.auth.service-token:}") @Nullable String token) {
        this.token = token == null ? "" : token.trim();
        if (this.token.isEmpty()) {
            LOG.warn("SERVICE_TOKEN is empty: calls to the vendor services carry no token"
                    + " (only services in open mode accept them)");
        }
    }

    @RequestFilter
    public void addToken(MutableHttpRequest<?> request) {
        if (!token.isEmpty()) {
            request.bearerAuth(token);
        }
    }
}
