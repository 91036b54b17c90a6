package org.agentplatform.sentry.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;
import org.agentplatform.sentry.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error Micronaut itself answers (unknown route, wrong method, unsupported media type,
 * malformed JSON, unexpected exception) becomes problem+json as well.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        List<ApiProblem.InvalidParam> params = new ArrayList<>();
        String detail;
        if (status.getCode() >= 500) {
            String cid = context.getRequest().getAttribute(CorrelationIdFilter.ATTRIBUTE, String.class).orElse("-");
            boolean hadMdc = MDC.get(CorrelationIdFilter.MDC_KEY) != null;
            if (!hadMdc) {
                MDC.put(CorrelationIdFilter.MDC_KEY, cid);
            }
            try {
                context.getRootCause().ifPresent(e -> LOG.error("Unexpected error on {} {}",
                        context.getRequest().getMethod(), context.getRequest().getPath(), e));
            } finally {
                if (!hadMdc) {
                    MDC.remove(CorrelationIdFilter.MDC_KEY);
                }
            }
            detail = "Unexpected error in sentry-service; see its log for correlation id " + cid;
        } else if (status == HttpStatus.NOT_FOUND && isDefaultNotFound(context)) {
            detail = "No route for " + context.getRequest().getMethod() + " " + context.getRequest().getPath();
        } else {
            detail = context.getErrors().stream().map(Error::getMessage).map(ProblemErrorResponseProcessor::firstLine)
                    .collect(Collectors.joining("; "));
            for (Error e : context.getErrors()) {
                e.getPath().ifPresent(p -> params.add(new ApiProblem.InvalidParam(p, e.getMessage())));
            }
            boolean jsonError = context.getRootCause()
                    .map(t -> t instanceof JsonSyntaxException || hasCause(t, JsonSyntaxException.class)
                            || t.getClass().getName().contains("Serde")
                            || t.getClass().getName().contains("Codec"))
                    .orElse(false);
            if (status == HttpStatus.BAD_REQUEST && params.isEmpty() && jsonError) {
                params.add(new ApiProblem.InvalidParam("body", detail.isBlank() ? "malformed JSON" : detail));
            }
        }
        return response.body(Problems.problem(status, detail.isBlank() ? status.getReason() : detail, params,
                        context.getRequest()))
                .contentType(Problems.CONTENT_TYPE);
    }

    /** Parser messages carry a second line with the location in a redacted source: keep the first. */
    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).trim();
    }

    private static boolean isDefaultNotFound(ErrorContext context) {
        return context.getErrors().isEmpty()
                || context.getErrors().stream().allMatch(e -> "Page Not Found".equals(e.getMessage()));
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
