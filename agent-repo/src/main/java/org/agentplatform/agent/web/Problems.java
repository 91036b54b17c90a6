package org.agentplatform.agent.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import org.agentplatform.agent.model.Problem;
import org.agentplatform.agent.model.ProblemInvalidParamsInner;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 9457 problem details, with the generated {@link Problem} model of the agent API. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    /** A named invalid parameter: JSON/query name and reason. */
    public record InvalidParam(String name, String reason) {}

    private Problems() {
    }

    public static Problem problem(HttpStatus status, String detail, List<InvalidParam> invalid) {
        Problem p = new Problem(status.getReason(), status.getCode()).type("about:blank");
        if (detail != null && !detail.isBlank()) {
            p.setDetail(detail.length() > 4000 ? detail.substring(0, 4000) : detail);
        }
        if (invalid != null && !invalid.isEmpty()) {
            p.setInvalidParams(invalid.stream().map(i -> new ProblemInvalidParamsInner(i.name(), i.reason()))
                    .collect(Collectors.toList()));
        }
        return p;
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail, List<InvalidParam> invalid) {
        return HttpResponse.<Problem>status(status).contentType(CONTENT_TYPE).body(problem(status, detail, invalid));
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail) {
        return response(status, detail, List.of());
    }

    /** taskId → task_id. */
    public static String snake(String name) {
        return name == null ? null : name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
