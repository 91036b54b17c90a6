package org.agentplatform.agent.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.agentplatform.agent.model.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error Micronaut itself produces (unknown route 404, wrong method 405, bad conversion or
 * JSON 400, unhandled exception 500) as problem+json. 5xx details never carry exception text.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext ctx, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<Problems.InvalidParam> invalid = new ArrayList<>();
        String detail;
        if (status.getCode() >= 500) {
            detail = status == HttpStatus.SERVICE_UNAVAILABLE ? firstMessage(ctx) : "The agent could not serve this request; see its log";
        } else if (status == HttpStatus.BAD_REQUEST) {
            for (Error e : ctx.getErrors()) {
                String name = e.getPath().map(ProblemErrorResponseProcessor::lastSegment).orElse(null);
                if (name != null) {
                    invalid.add(new Problems.InvalidParam(Problems.snake(name), e.getMessage()));
                }
            }
            detail = invalid.isEmpty() ? firstMessage(ctx)
                    : invalid.stream().map(i -> i.name() + ": " + i.reason()).collect(Collectors.joining("; "));
        } else if (status == HttpStatus.NOT_FOUND) {
            detail = "No such resource";
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            detail = "Method " + ctx.getRequest().getMethodName() + " is not allowed here";
        } else {
            detail = firstMessage(ctx);
        }
        return response.contentType(Problems.CONTENT_TYPE).body(Problems.problem(status, detail, invalid));
    }

    private static String firstMessage(ErrorContext ctx) {
        return ctx.getErrors().stream().map(Error::getMessage).findFirst().orElse(null);
    }

    private static String lastSegment(String path) {
        int i = path.lastIndexOf('.');
        return i < 0 ? path : path.substring(i + 1);
    }
}
