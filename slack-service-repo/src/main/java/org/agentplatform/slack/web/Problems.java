package org.agentplatform.slack.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.agentplatform.slack.model.ProblemInvalidParamsInner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds and writes {@code application/problem+json} answers (RFC 9457). */
@Singleton
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public SlackProblem problem(HttpStatus status, @Nullable String detail, @Nullable HttpRequest<?> request,
                                @Nullable String slackError, List<Map.Entry<String, String>> invalidParams) {
        SlackProblem problem = new SlackProblem(status.getReason(), status.getCode());
        problem.setType("about:blank");
        problem.setDetail(truncate(detail, 4000));
        if (request != null) {
            problem.setInstance(truncate(request.getPath(), 2048));
        }
        problem.setSlackError(slackError);
        if (!invalidParams.isEmpty()) {
            List<ProblemInvalidParamsInner> params = new ArrayList<>();
            for (Map.Entry<String, String> entry : invalidParams) {
                params.add(new ProblemInvalidParamsInner(truncate(entry.getKey(), 200), truncate(entry.getValue(), 1000)));
            }
            problem.setInvalidParams(params);
        }
        return problem;
    }

    public String json(SlackProblem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete problem+json response. */
    public MutableHttpResponse<String> response(ProblemException e, @Nullable HttpRequest<?> request) {
        SlackProblem problem = problem(e.status(), e.detail(), request, e.slackError(), e.invalidParams());
        MutableHttpResponse<String> response = HttpResponse.<String>status(e.status())
                .contentType(MEDIA_TYPE)
                .body(json(problem));
        e.headers().forEach(response::header);
        return response;
    }

    @Nullable
    static String truncate(@Nullable String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        return value.substring(0, max - 1) + "…";
    }
}
