package org.agentplatform.github.web;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.agentplatform.github.model.Problem;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error Micronaut itself answers (unknown route, wrong method, malformed JSON, unconvertible
 * parameter, unhandled exception) becomes application/problem+json instead of Micronaut's JSON error.
 * Replaces Micronaut's default processor, which only exists when no other one does.
 */
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        if (request.getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        int status = response.code();
        List<ApiProblem.InvalidParam> params = new ArrayList<>();
        for (Error error : context.getErrors()) {
            error.getPath()
                .map(path -> path.startsWith("/") ? path.substring(1) : path)
                .filter(path -> !path.isBlank())
                .ifPresent(path -> params.add(new ApiProblem.InvalidParam(JsonNames.snake(path), firstLine(error.getMessage()))));
        }
        Problem problem = Problems.problem(status, detail(status, context), status == 400 ? params : List.of(), request);
        return ((MutableHttpResponse<Problem>) response).body(problem).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
    }

    private static String detail(int status, ErrorContext context) {
        HttpRequest<?> request = context.getRequest();
        if (status == 404) {
            return "No such resource: " + request.getMethod() + " " + request.getPath();
        }
        if (status >= 500) {
            // an unexpected failure: its message may say more than a caller should see
            String correlationId = MDC.get(CorrelationFilter.MDC_KEY);
            return "Unexpected error in github-service" + (correlationId == null ? "" : " (correlation id " + correlationId + ")")
                + "; the service log has the details";
        }
        // first lines only: parsers append source excerpts and locations on further lines
        String messages = context.getErrors().stream().map(Error::getMessage).map(ProblemErrorResponseProcessor::firstLine)
            .distinct().collect(Collectors.joining("; "));
        return messages.isBlank() ? Problems.reason(status) : messages;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline > 0 ? message.substring(0, newline) : message).trim();
    }
}
