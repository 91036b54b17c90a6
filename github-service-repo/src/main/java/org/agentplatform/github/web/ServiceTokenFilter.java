package org.agentplatform.github.web;

import java.util.Set;
import java.util.List;
import io.micronaut.http.HttpMethod;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code Authorization: Bearer <service token>} on every {@code /api/v1/**} call; missing or unknown → 401
 * problem+json. {@code /health} and {@code /prometheus} are open.
 */
@ServerFilter("/api/v1/**")
public class ServiceTokenFilter implements Ordered {

    /** Request attribute holding the authenticated caller's name. */
    public static final String CALLER = "agentplatform.caller";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final ServiceTokens tokens;
    /** Callers that may only read (GET/HEAD): the dashboard shows calls, it never comments on GitHub. */
    private final Set<String> readOnlyCallers;

    public ServiceTokenFilter(ServiceTokens tokens,
                              @Value("${service.read-only-callers:dashboard}") List<String> readOnlyCallers) {
        this.tokens = tokens;
        this.readOnlyCallers = Set.copyOf(readOnlyCallers);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (tokens.open()) {
            return null;
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
            ? authorization.substring(BEARER.length()).trim() : null;
        Optional<String> caller = tokens.callerOf(token);
        if (caller.isEmpty()) {
            LOG.info("{} {} -> 401: {} service token", request.getMethod(), request.getPath(), token == null ? "no" : "unknown");
            return Problems.response(new ApiProblem(HttpStatus.UNAUTHORIZED, token == null
                    ? "A valid service token is required: send Authorization: Bearer <token> (see SERVICE_TOKENS)"
                    : "The service token is not valid for github-service"), request)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        HttpMethod method = request.getMethod();
        if (readOnlyCallers.contains(caller.get()) && method != HttpMethod.GET && method != HttpMethod.HEAD) {
            LOG.info("{} {} -> 403: caller {} may only read", method, request.getPath(), caller.get());
            return Problems.response(new ApiProblem(HttpStatus.FORBIDDEN, "The service token of '" + caller.get()
                + "' may only read from github-service (SERVICE_READ_ONLY_CALLERS); comments and reactions are "
                + "posted by the agent and the gateway"), request);
        }
        request.setAttribute(CALLER, caller.get());
        return null;
    }
}
