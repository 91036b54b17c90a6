package org.agentplatform.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.agentplatform.gateway.model.Problem;

/**
 * Service-token check on {@code /api/v1/**} ({@code Authorization: Bearer <token>}): missing or
 * unknown → 401 problem+json. {@code /health}, {@code /prometheus} and {@code /webhooks/**} are
 * open (webhooks carry the vendor's signature instead).
 */
@ServerFilter("/api/v1/**")
public class ServiceTokenFilter implements Ordered {

    /** Request attribute with the authenticated caller name (from SERVICE_TOKENS). */
    public static final String CALLER = "gateway.caller";

    private final ServiceTokens tokens;

    public ServiceTokenFilter(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<Problem> check(HttpRequest<?> request) {
        if (tokens.isOpen()) {
            request.setAttribute(CALLER, "anonymous");
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        var caller = tokens.callerOf(token);
        if (caller.isPresent()) {
            request.setAttribute(CALLER, caller.get());
            return null;
        }
        return Problems.response(HttpStatus.UNAUTHORIZED, "A valid service token is required", request)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
