package org.agentplatform.jira.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;

/**
 * Flags the service sets while handling a request and that {@link CorrelationFilter} turns into
 * response headers: {@code X-Dry-Run: true} and {@code Idempotent-Replayed: true}.
 */
public final class ResponseHints {

    static final String DRY_RUN = "jira-service.dry-run";
    static final String REPLAYED = "jira-service.replayed";

    private ResponseHints() {
    }

    public static void dryRun() {
        ServerRequestContext.currentRequest().ifPresent(r -> r.setAttribute(DRY_RUN, Boolean.TRUE));
    }

    public static void replayed() {
        ServerRequestContext.currentRequest().ifPresent(r -> r.setAttribute(REPLAYED, Boolean.TRUE));
    }

    static boolean isSet(HttpRequest<?> request, String name) {
        return request.getAttribute(name, Boolean.class).orElse(false);
    }
}
