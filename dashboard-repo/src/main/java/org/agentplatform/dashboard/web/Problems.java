package org.agentplatform.dashboard.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import org.agentplatform.dashboard.model.Problem;
import org.agentplatform.dashboard.model.ProblemInvalidParamsInner;

import java.util.List;

/** RFC 9457 problem answers ({@code application/problem+json}) in the contract's {@link Problem} shape. */
public final class Problems {
    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private Problems() {
    }

    public static Problem problem(HttpStatus status, String detail, List<ProblemInvalidParamsInner> invalid) {
        Problem p = new Problem(status.getReason(), status.getCode());
        p.setType("about:blank");
        p.setDetail(detail);
        if (invalid != null && !invalid.isEmpty()) {
            p.setInvalidParams(invalid);
        }
        return p;
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail) {
        return HttpResponse.<Problem>status(status).body(problem(status, detail, null)).contentType(PROBLEM_JSON);
    }

    public static ProblemInvalidParamsInner param(String name, String reason) {
        return new ProblemInvalidParamsInner(name, reason);
    }
}
