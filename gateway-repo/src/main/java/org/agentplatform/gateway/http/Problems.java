package org.agentplatform.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import org.agentplatform.gateway.model.Problem;
import org.agentplatform.gateway.model.ProblemInvalidParamsInner;

import java.util.List;

/** RFC 9457 problem details, built from the contract's generated {@link Problem} model. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.of(MEDIA_TYPE);

    private Problems() {
    }

    public static Problem problem(int status, @Nullable String detail, @Nullable HttpRequest<?> request,
                                  List<ProblemInvalidParamsInner> invalidParams) {
        Problem problem = new Problem(title(status), status);
        problem.setType("about:blank");
        if (detail != null && !detail.isBlank()) {
            problem.setDetail(detail.length() > 4000 ? detail.substring(0, 4000) : detail);
        }
        if (request != null) {
            problem.setInstance(request.getPath());
        }
        if (!invalidParams.isEmpty()) {
            problem.setInvalidParams(List.copyOf(invalidParams));
        }
        return problem;
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, @Nullable String detail,
                                                        @Nullable HttpRequest<?> request) {
        return response(status, detail, request, List.of());
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, @Nullable String detail,
                                                        @Nullable HttpRequest<?> request,
                                                        List<ProblemInvalidParamsInner> invalidParams) {
        return HttpResponse.<Problem>status(status)
                .body(problem(status.getCode(), detail, request, invalidParams))
                .contentType(PROBLEM_JSON);
    }

    public static String title(int status) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException e) {
            return "HTTP " + status;
        }
    }
}
