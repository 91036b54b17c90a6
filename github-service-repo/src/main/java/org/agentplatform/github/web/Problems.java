package org.agentplatform.github.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import org.agentplatform.github.model.Problem;
import org.agentplatform.github.model.ProblemInvalidParamsInner;

import java.time.Duration;
import java.util.List;

/** Builds application/problem+json bodies from the contract's generated {@link Problem} model. */
public final class Problems {

    /** The contract's limit for {@code detail}. */
    static final int MAX_DETAIL = 4000;

    private Problems() {
    }

    public static Problem problem(int status, @Nullable String detail, List<ApiProblem.InvalidParam> invalidParams,
                                  @Nullable HttpRequest<?> request) {
        Problem problem = new Problem(reason(status), status);
        if (detail != null && !detail.isBlank()) {
            problem.setDetail(truncate(detail, MAX_DETAIL));
        }
        if (request != null) {
            problem.setInstance(truncate(request.getPath(), 2048));
        }
        if (!invalidParams.isEmpty()) {
            problem.setInvalidParams(invalidParams.stream()
                .map(p -> new ProblemInvalidParamsInner(truncate(p.name(), 200), truncate(p.reason(), 1000)))
                .toList());
        }
        return problem;
    }

    public static MutableHttpResponse<Problem> response(ApiProblem apiProblem, @Nullable HttpRequest<?> request) {
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(apiProblem.status())
            .body(problem(apiProblem.status().getCode(), apiProblem.detail(), apiProblem.invalidParams(), request))
            .contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
        Duration retryAfter = apiProblem.retryAfter();
        if (retryAfter != null) {
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response;
    }

    static String reason(int status) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException e) {
            return "HTTP " + status;
        }
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
