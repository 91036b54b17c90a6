package org.agentplatform.github.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.agentplatform.github.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders an {@link ApiProblem} as problem+json. */
@Produces
@Singleton
public class ApiProblemHandler implements ExceptionHandler<ApiProblem, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiProblemHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ApiProblem problem) {
        if (problem.status().getCode() >= 500) {
            LOG.warn("{} {} -> {}: {}", request.getMethod(), request.getPath(), problem.status().getCode(), problem.detail());
        } else {
            LOG.info("{} {} -> {}: {}", request.getMethod(), request.getPath(), problem.status().getCode(), problem.detail());
        }
        return Problems.response(problem, request);
    }
}
