package org.agentplatform.jira.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.agentplatform.jira.model.Problem;
import org.agentplatform.jira.model.ProblemInvalidParamsInner;

/**
 * Validation errors as 400 problem+json whose {@code invalid_params[].name} is the name the caller
 * used: the path variable, query parameter or header name from the route, or the JSON property
 * name of a body field ({@code body}, not {@code addJiraCommentApi.jiraCommentRequest.body}).
 */
@Singleton
@Produces("application/problem+json")
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        List<ProblemInvalidParamsInner> params = new ArrayList<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            params.add(new ProblemInvalidParamsInner(name(request, violation), violation.getMessage()));
        }
        params.sort(Comparator.comparing(ProblemInvalidParamsInner::getName).thenComparing(ProblemInvalidParamsInner::getReason));
        List<String> parts = params.stream().map(p -> p.getName() + ": " + p.getReason()).toList();
        return Problems.response(HttpStatus.BAD_REQUEST, String.join("; ", parts), params, request, Map.of());
    }

    static String name(HttpRequest<?> request, ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        String parameter = null;
        List<String> properties = new ArrayList<>();
        for (Path.Node node : nodes) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, CONTAINER_ELEMENT -> {
                    if (node.getName() != null) {
                        properties.add(snake(node.getName()) + (node.getIndex() != null ? "[" + node.getIndex() + "]" : ""));
                    }
                }
                default -> {
                    // METHOD, BEAN, RETURN_VALUE ...: not part of the wire name
                }
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        if (parameter != null) {
            return wireName(request, parameter).orElse(snake(parameter));
        }
        return nodes.isEmpty() ? "request" : nodes.get(nodes.size() - 1).getName();
    }

    /** The HTTP name of a controller parameter: {@code @PathVariable("issue_key")}, {@code @Header("Idempotency-Key")}, ... */
    private static Optional<String> wireName(HttpRequest<?> request, String parameter) {
        Optional<RouteMatch> match = request.getAttribute(HttpAttributes.ROUTE_MATCH, RouteMatch.class);
        if (match.isEmpty() || !(match.get() instanceof MethodBasedRouteMatch<?, ?> method)) {
            return Optional.empty();
        }
        for (Argument<?> argument : method.getArguments()) {
            if (argument.getName().equals(parameter)) {
                AnnotationMetadata metadata = argument.getAnnotationMetadata();
                for (Class<? extends java.lang.annotation.Annotation> kind : List.of(PathVariable.class, QueryValue.class, Header.class)) {
                    Optional<String> value = metadata.stringValue(kind);
                    if (value.isPresent() && !value.get().isEmpty()) {
                        return value;
                    }
                }
            }
        }
        return Optional.empty();
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
