package org.agentplatform.sentry.web;

import java.util.Set;
import io.micronaut.http.HttpMethod;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.agentplatform.sentry.config.ServiceTokens;

import java.util.List;

/** {@code Authorization: Bearer <service token>} on every {@code /api/v1/**} call. */
@ServerFilter("/api/v1/**")
public class ServiceTokenFilter implements Ordered {

    public static final String CALLER_ATTRIBUTE = "agentplatform.caller";

    private final ServiceTokens tokens;
    /** Read-only callers (GET/HEAD only): the dashboard must not post notes on Sentry issues. */
    private final Set<String> readOnlyCallers;

    public ServiceTokenFilter(ServiceTokens tokens,
                              @Value("${service.read-only-callers:dashboard}") List<String> readOnlyCallers) {
        this.tokens = tokens;
        this.readOnlyCallers = Set.copyOf(readOnlyCallers);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (tokens.isOpen()) {
            return null;
        }
        String header = request.getHeaders().getAuthorization().orElse(null);
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        String caller = tokens.callerOf(token).orElse(null);
        if (caller != null && readOnlyCallers.contains(caller)
                && request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            return Problems.response(HttpStatus.FORBIDDEN, "The token of '" + caller
                    + "' is read-only for sentry-service (SERVICE_READ_ONLY_CALLERS)", List.of(), request);
        }
        if (caller != null) {
            request.setAttribute(CALLER_ATTRIBUTE, caller);
            return null;
        }
        return Problems.response(HttpStatus.UNAUTHORIZED,
                        "A valid service token is required (Authorization: Bearer <token>)", List.of(), request)
                .header("WWW-Authenticate", "Bearer");
    }
}
