package org.agentplatform.github.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.agentplatform.github.model.Problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bean-validation failures of a request → 400 problem+json whose {@code detail} and {@code invalid_params}
 * name each field as the caller wrote it ({@code comment}, {@code pr_number}, {@code Idempotency-Key}),
 * not as Java knows it ({@code postPrCommentApi.postPRCommentRequest.comment}).
 */
@Produces
@Singleton
@Replaces(ConstraintExceptionHandler.class)
public class ValidationProblemHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        Argument<?>[] routeArguments = RouteAttributes.getRouteMatch(request)
            .filter(MethodBasedRouteMatch.class::isInstance)
            .map(match -> ((MethodBasedRouteMatch<?, ?>) match).getArguments())
            .orElse(new Argument<?>[0]);
        List<ApiProblem.InvalidParam> params = new ArrayList<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            params.add(new ApiProblem.InvalidParam(name(violation, routeArguments), violation.getMessage()));
        }
        params.sort(Comparator.comparing(ApiProblem.InvalidParam::name).thenComparing(ApiProblem.InvalidParam::reason));
        String detail = params.isEmpty()
            ? "The request is invalid"
            : params.stream().map(p -> p.name() + ": " + p.reason()).collect(Collectors.joining("; "));
        return Problems.response(new ApiProblem(HttpStatus.BAD_REQUEST, detail, params, null), request);
    }

    /**
     * The caller's name of the violated field: a route parameter by its binding ({@code @PathVariable("pr_number")}),
     * a property of the body by its JSON name; the body parameter itself is only named when the whole body is wrong.
     */
    static String name(ConstraintViolation<?> violation, Argument<?>[] routeArguments) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        Class<?> leaf = violation.getLeafBean() == null ? null : violation.getLeafBean().getClass();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            boolean last = i == nodes.size() - 1;
            if (node.getKind() == ElementKind.PARAMETER) {
                int index = node.as(Path.ParameterNode.class).getParameterIndex();
                String name = index >= 0 && index < routeArguments.length
                    ? JsonNames.ofArgument(routeArguments[index].getName(), routeArguments[index].getAnnotationMetadata())
                    : JsonNames.snake(node.getName());
                if (last || !JsonNames.BODY.equals(name) && nodes.get(i + 1).getKind() != ElementKind.PROPERTY) {
                    parts.add(name);
                }
            } else if (node.getKind() == ElementKind.PROPERTY) {
                parts.add(JsonNames.ofProperty(last ? leaf : null, node.getName())
                    + (node.isInIterable() && node.getIndex() != null ? "[" + node.getIndex() + "]" : ""));
            } else if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getIndex() != null) {
                parts.add("[" + node.getIndex() + "]");
            }
        }
        return parts.isEmpty() ? "request" : String.join(".", parts).replace(".[", "[");
    }
}
