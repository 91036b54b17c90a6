package org.agentplatform.agent.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Optional;

/** {@code Authorization: Bearer <service token>} on /api/v1/**; missing or wrong: 401 problem+json. */
@ServerFilter("/api/v1/**")
public class ServiceTokenFilter implements Ordered {
    public static final String CALLER_ATTRIBUTE = "agent.caller";
    private final ServiceTokens tokens;

    public ServiceTokenFilter(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (tokens.open()) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<String> caller = tokens.callerOf(token);
        if (caller.isPresent()) {
            request.setAttribute(CALLER_ATTRIBUTE, caller.get());
            return null;
        }
        return Problems.response(HttpStatus.UNAUTHORIZED, "A valid service token is required")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Override
    public int getOrder() {
        return CorrelationIdFilter.ORDER + 10;
    }
}
