package org.agentplatform.jira.web;

import java.util.List;
import java.util.Map;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import org.agentplatform.jira.model.Problem;
import org.agentplatform.jira.model.ProblemInvalidParamsInner;

/** Builds {@code application/problem+json} answers from the contract's generated {@link Problem}. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private Problems() {
    }

    public static Problem problem(HttpStatus status, String detail, List<ProblemInvalidParamsInner> invalidParams,
                                  HttpRequest<?> request) {
        Problem problem = new Problem(status.getReason(), status.getCode()).type("about:blank");
        if (detail != null && !detail.isBlank()) {
            problem.detail(detail.length() > 4000 ? detail.substring(0, 3999) + "…" : detail);
        }
        if (invalidParams != null && !invalidParams.isEmpty()) {
            problem.invalidParams(invalidParams);
        }
        if (request != null) {
            problem.instance(request.getPath());
        }
        return problem;
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail,
                                                        List<ProblemInvalidParamsInner> invalidParams,
                                                        HttpRequest<?> request, Map<String, String> headers) {
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(status)
                .body(problem(status, detail, invalidParams, request))
                .contentType(PROBLEM_JSON);
        headers.forEach(response::header);
        return response;
    }
}
