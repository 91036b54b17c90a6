package org.agentplatform.slack.web;

import java.util.Set;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code Authorization: Bearer <service token>} on {@code /api/v1/**}; 401 problem+json otherwise. */
@ServerFilter("/api/v1/**")
public class ServiceTokenFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokenFilter.class);
    public static final String CALLER_ATTRIBUTE = "agentplatform.caller";

    private final ServiceTokens tokens;
    private final Problems problems;
    /** Callers that may only read: the dashboard lists calls, posting to Slack is the agent's and gateway's job. */
    private final Set<String> readOnlyCallers;

    public ServiceTokenFilter(ServiceTokens tokens, Problems problems,
                              @Value("${service.read-only-callers:dashboard}") List<String> readOnlyCallers) {
        this.tokens = tokens;
        this.problems = problems;
        this.readOnlyCallers = Set.copyOf(readOnlyCallers);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (tokens.openMode()) {
            return null;
        }
        Optional<String> caller = request.getHeaders().getAuthorization()
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .flatMap(tokens::callerOf);
        if (caller.isEmpty()) {
            LOG.info("{} {}: refused, missing or unknown service token", request.getMethodName(), request.getPath());
            return problems.response(new ProblemException(HttpStatus.UNAUTHORIZED,
                    "A valid service token is required (Authorization: Bearer <token> from SERVICE_TOKENS)",
                    null, List.of(), Map.of("WWW-Authenticate", "Bearer")), request);
        }
        if (readOnlyCallers.contains(caller.get()) && !Set.of("GET", "HEAD").contains(request.getMethodName())) {
            LOG.info("{} {}: refused, caller {} is read-only", request.getMethodName(), request.getPath(), caller.get());
            return problems.response(new ProblemException(HttpStatus.FORBIDDEN, "Caller '" + caller.get()
                    + "' may only read from slack-service (SERVICE_READ_ONLY_CALLERS)", null, List.of(), Map.of()), request);
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller.get());
        return null;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 200;
    }
}
