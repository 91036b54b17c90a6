package org.agentplatform.github.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedArgumentHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;
import org.agentplatform.github.model.Problem;

import java.util.List;

/**
 * A required route argument that is missing (no body, a required header or parameter) → 400 naming it as
 * the contract does ({@code body}, {@code Idempotency-Key}), not as Java does ({@code postPRCommentRequest}).
 */
@Produces
@Singleton
@Replaces(UnsatisfiedRouteHandler.class)
public class UnsatisfiedArgumentProblemHandler implements ExceptionHandler<UnsatisfiedRouteException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, UnsatisfiedRouteException exception) {
        return render(request, exception.getArgument());
    }

    static HttpResponse<Problem> render(HttpRequest<?> request, Argument<?> argument) {
        String name = JsonNames.ofArgument(argument.getName(), argument.getAnnotationMetadata());
        String reason = JsonNames.BODY.equals(name) ? "a JSON request body is required" : "is required";
        return Problems.response(new ApiProblem(HttpStatus.BAD_REQUEST, name + ": " + reason,
            List.of(new ApiProblem.InvalidParam(name, reason)), null), request);
    }

    /** The same for arguments that fail binding outside routing. */
    @Produces
    @Singleton
    @Replaces(UnsatisfiedArgumentHandler.class)
    public static class Core implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, UnsatisfiedArgumentException exception) {
            return render(request, exception.getArgument());
        }
    }
}
