package org.agentplatform.jira.web;

import java.util.Set;
import io.micronaut.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service tokens on {@code /api/v1/**}: {@code Authorization: Bearer <token>} must match one of
 * {@code SERVICE_TOKENS} ({@code caller:token} pairs, comma separated; two for one caller allow
 * rotation). Compared in constant time. Empty {@code SERVICE_TOKENS}: open, with a start-up WARN.
 * {@code /health} and {@code /prometheus} stay open.
 */
@ServerFilter("/api/v1/**")
@Context // created at start-up so that the open-mode WARN shows there
public class ServiceTokenFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokenFilter.class);

    private record Token(String caller, byte[] secret) {
    }

    private final List<Token> tokens = new ArrayList<>();
    /** Callers allowed only GET/HEAD: the dashboard reads the call log, it never writes to Jira. */
    private final Set<String> readOnlyCallers;

    public ServiceTokenFilter(@Value("${platform.service-tokens:}") @Nullable String serviceTokens,
                              @Value("${platform.read-only-callers:dashboard}") List<String> readOnlyCallers) {
        this.readOnlyCallers = Set.copyOf(readOnlyCallers);
        if (serviceTokens != null) {
            for (String entry : serviceTokens.split(",")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                String caller = colon > 0 ? trimmed.substring(0, colon) : "unnamed";
                String secret = colon > 0 ? trimmed.substring(colon + 1) : trimmed;
                if (!secret.isEmpty()) {
                    tokens.add(new Token(caller, secret.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        if (tokens.isEmpty()) {
            LOG.warn("SERVICE_TOKENS is empty: /api/v1/** is OPEN to anyone (local development only)");
        } else {
            LOG.info("Service tokens accepted for callers: {}", tokens.stream().map(Token::caller).distinct().toList());
        }
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (tokens.isEmpty()) {
            return null;
        }
        String authorization = request.getHeaders().getAuthorization().orElse("");
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            String caller = null;
            for (Token token : tokens) {
                if (MessageDigest.isEqual(token.secret(), presented) && caller == null) { // no early exit: constant time
                    caller = token.caller();
                }
            }
            if (caller != null) {
                boolean reads = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
                if (!reads && readOnlyCallers.contains(caller)) {
                    return Problems.response(HttpStatus.FORBIDDEN, "The service token of '" + caller
                        + "' may only read from jira-service (SERVICE_READ_ONLY_CALLERS); Jira comments come from the agent",
                        List.of(), request, Map.of());
                }
                return null;
            }
        }
        return Problems.response(HttpStatus.UNAUTHORIZED, "A valid service token is required (Authorization: Bearer <token>)",
                List.of(), request, Map.of("WWW-Authenticate", "Bearer"));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
