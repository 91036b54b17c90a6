package org.agentplatform.jira.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.agentplatform.jira.model.Problem;

/** Answers an {@link ApiProblem} as problem+json with its status and headers. */
@Singleton
@Produces("application/problem+json")
@Requires(classes = {ApiProblem.class, ExceptionHandler.class})
public class ApiProblemHandler implements ExceptionHandler<ApiProblem, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ApiProblem problem) {
        return Problems.response(problem.getStatus(), problem.getDetail(), problem.getInvalidParams(), request,
                problem.getHeaders());
    }
}
