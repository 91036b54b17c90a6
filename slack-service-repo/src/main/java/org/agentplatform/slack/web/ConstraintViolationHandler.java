package org.agentplatform.slack.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Bean-validation failures → 400 problem+json whose {@code invalid_params} and {@code detail}
 * name the field as the caller wrote it ({@code thread_ts}, {@code Idempotency-Key}, {@code size}),
 * not as Java sees it ({@code postSlackMessageApi.slackMessageRequest.threadTs}).
 */
@Produces
@Singleton
@Replaces(ConstraintExceptionHandler.class)
@Requires(classes = {ConstraintViolationException.class, ExceptionHandler.class})
public class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {

    private final Problems problems;

    public ConstraintViolationHandler(Problems problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (exception.getConstraintViolations() != null) {
            for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
                params.add(Map.entry(fieldName(violation.getPropertyPath()), violation.getMessage()));
            }
        }
        params.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        String detail = params.isEmpty()
                ? "The request is invalid"
                : params.stream().map(e -> e.getKey() + ": " + e.getValue()).distinct().collect(Collectors.joining("; "));
        return problems.response(new ProblemException(HttpStatus.BAD_REQUEST, detail, null, params, Map.of()), request);
    }

    /**
     * The path is {@code method.parameter[.property…]}: the body parameter itself is dropped (its
     * properties are what the caller wrote), other parameters are headers or query values.
     */
    static String fieldName(Path path) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        boolean parameterIsBody = false;
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER) {
                parameter = node.getName();
                parameterIsBody = parameter != null && parameter.endsWith("Request");
                continue;
            }
            if (node.getName() != null && !node.getName().isEmpty()) {
                String name = FieldNames.external(node.getName());
                if (node.getIndex() != null) {
                    name = name + "[" + node.getIndex() + "]";
                }
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            if (parameter == null) {
                return "body";
            }
            return parameterIsBody ? "body" : FieldNames.external(parameter);
        }
        return String.join(".", names);
    }
}
