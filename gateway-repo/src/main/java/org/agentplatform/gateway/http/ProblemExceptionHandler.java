package org.agentplatform.gateway.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.model.Problem;

/** Renders {@link ProblemException}s. */
@Produces(Problems.MEDIA_TYPE)
@Singleton
@Requires(classes = {ProblemException.class, ExceptionHandler.class})
public class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        var response = Problems.response(exception.getStatus(), exception.getDetail(), request,
                exception.getInvalidParams());
        if (exception.getStatus() == HttpStatus.UNAUTHORIZED && request.getPath().startsWith("/api/")) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response;
    }
}
