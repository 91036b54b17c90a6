package org.agentplatform.dashboard.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.agentplatform.dashboard.model.Problem;
import org.agentplatform.dashboard.model.ProblemInvalidParamsInner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error the framework produces (404 unknown route, 405, malformed JSON, validation, 500)
 * as {@code application/problem+json}. Validation errors name the HTTP parameter or JSON property
 * ({@code size}, {@code task_id}, {@code X-CSRF-Token}, {@code username}), never the Java path;
 * unexpected errors never show their message.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    /** Java parameter names of the generated controllers whose HTTP name is not plain snake_case. */
    private static final Map<String, String> NAMES = Map.of("xCSRFToken", "X-CSRF-Token");

    @Override
    @NonNull
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(@NonNull ErrorContext context, @NonNull MutableHttpResponse<?> response) {
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        HttpStatus status = HttpStatus.valueOf(response.code());
        Throwable cause = context.getRootCause().orElse(null);
        List<ProblemInvalidParamsInner> invalid = List.of();
        String detail;
        if (cause instanceof ConstraintViolationException cve) {
            invalid = invalidParams(cve);
            detail = invalid.stream().map(p -> p.getName() + ": " + p.getReason()).collect(Collectors.joining("; "));
        } else if (cause instanceof JsonSyntaxException || (cause != null && cause.getClass().getName().contains("Json"))) {
            detail = "The request body is not valid JSON";
        } else if (status.getCode() >= 500) {
            detail = "Unexpected error; see the dashboard's log";
        } else if (status == HttpStatus.NOT_FOUND) {
            detail = "No such resource: " + context.getRequest().getPath();
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            detail = context.getRequest().getMethod() + " is not allowed on " + context.getRequest().getPath();
        } else if (!context.getErrors().isEmpty()) {
            detail = context.getErrors().get(0).getMessage();
        } else {
            detail = status.getReason();
        }
        return response.body(Problems.problem(status, detail, invalid)).contentType(Problems.PROBLEM_JSON);
    }

    private static List<ProblemInvalidParamsInner> invalidParams(ConstraintViolationException cve) {
        List<ProblemInvalidParamsInner> out = new ArrayList<>();
        for (ConstraintViolation<?> v : cve.getConstraintViolations()) {
            out.add(Problems.param(name(v.getPropertyPath()), v.getMessage()));
        }
        out.sort(Comparator.comparing(ProblemInvalidParamsInner::getName));
        return out;
    }

    /** The last node of the path (the parameter or property) in its HTTP / JSON spelling. */
    static String name(Path path) {
        String last = null;
        for (Path.Node node : path) {
            if (node.getName() != null) {
                last = node.getName();
            }
        }
        if (last == null) {
            return "request";
        }
        return NAMES.getOrDefault(last, snake(last));
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
