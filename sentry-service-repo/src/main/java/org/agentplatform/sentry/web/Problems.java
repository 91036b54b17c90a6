package org.agentplatform.sentry.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import org.agentplatform.sentry.model.Problem;
import org.agentplatform.sentry.model.ProblemInvalidParamsInner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds RFC 9457 problem responses with the generated {@link Problem} model. */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static Problem problem(HttpStatus status, @Nullable String detail,
                                  List<ApiProblem.InvalidParam> invalidParams, @Nullable HttpRequest<?> request) {
        Problem problem = new Problem(status.getReason(), status.getCode());
        problem.setType("about:blank");
        if (detail != null && !detail.isBlank()) {
            problem.setDetail(truncate(detail, 4000));
        }
        if (request != null) {
            problem.setInstance(truncate(request.getPath(), 2048));
        }
        if (!invalidParams.isEmpty()) {
            List<ProblemInvalidParamsInner> params = new ArrayList<>();
            for (ApiProblem.InvalidParam p : invalidParams) {
                params.add(new ProblemInvalidParamsInner(truncate(p.name(), 200), truncate(p.reason(), 1000)));
            }
            problem.setInvalidParams(params);
        }
        return problem;
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, @Nullable String detail,
                                                        List<ApiProblem.InvalidParam> invalidParams,
                                                        @Nullable HttpRequest<?> request) {
        return HttpResponse.<Problem>status(status)
                .body(problem(status, detail, invalidParams, request))
                .contentType(CONTENT_TYPE);
    }

    public static MutableHttpResponse<Problem> response(ApiProblem e, @Nullable HttpRequest<?> request) {
        MutableHttpResponse<Problem> response = response(e.status(), e.detail(), e.invalidParams(), request);
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            response.header(h.getKey(), h.getValue());
        }
        return response;
    }

    /** {@code assignedTo} → {@code assigned_to}: Java property names to the contract's JSON names. */
    public static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
