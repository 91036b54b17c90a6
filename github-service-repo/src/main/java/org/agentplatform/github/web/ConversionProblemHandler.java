package org.agentplatform.github.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.agentplatform.github.model.Problem;

import java.util.List;

/**
 * A route argument that cannot be read ({@code pr_number=abc}, a body of the wrong JSON shape or an unknown
 * enum value) → 400 problem+json naming the parameter as the contract spells it.
 */
@Produces
@Singleton
@Replaces(ConversionErrorHandler.class)
public class ConversionProblemHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConversionErrorException exception) {
        Argument<?> argument = exception.getArgument();
        String name = JsonNames.ofArgument(argument.getName(), argument.getAnnotationMetadata());
        String reason = exception.getConversionError().getCause() == null
            ? "cannot be read as " + argument.getType().getSimpleName()
            : reason(exception.getConversionError().getCause().getMessage(), argument);
        return Problems.response(new ApiProblem(HttpStatus.BAD_REQUEST, name + ": " + reason,
            List.of(new ApiProblem.InvalidParam(name, reason)), null), request);
    }

    private static String reason(String message, Argument<?> argument) {
        String text = message == null || message.isBlank() ? "cannot be read as " + argument.getType().getSimpleName() : message;
        // the deserializer's message can be long and mention internal class names: keep its first line
        int newline = text.indexOf('\n');
        return Problems.truncate(newline > 0 ? text.substring(0, newline) : text, 500);
    }
}
