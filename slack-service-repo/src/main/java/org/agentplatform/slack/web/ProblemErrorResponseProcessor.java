package org.agentplatform.slack.web;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.ReferencePath;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error Micronaut itself answers (unknown route 404, wrong method 405, unsupported media
 * type 415, malformed JSON, a value of the wrong type, a missing body, unexpected exceptions)
 * goes through here and becomes {@code application/problem+json}: never Micronaut's own JSON,
 * never a stack trace. Where the cause names a field, {@code invalid_params} names it too.
 */
@Singleton
@Primary
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<String> {

    private final Problems problems;

    public ProblemErrorResponseProcessor(Problems problems) {
        this.problems = problems;
    }

    @Override
    public MutableHttpResponse<String> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        Throwable cause = context.getRootCause().orElse(null);
        List<Map.Entry<String, String>> params = new ArrayList<>();
        String detail;
        if (status.getCode() >= 500) {
            String correlationId = MDC.get(CorrelationFilter.MDC_KEY);
            detail = "Internal error; the service log has the details"
                    + (correlationId == null ? "" : " (correlation id " + correlationId + ")");
        } else if (status == HttpStatus.BAD_REQUEST) {
            detail = badRequestDetail(context, cause, params);
        } else if (status == HttpStatus.NOT_FOUND) {
            detail = "No such resource: " + context.getRequest().getMethodName() + " " + context.getRequest().getPath();
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            detail = "Method " + context.getRequest().getMethodName() + " is not allowed on " + context.getRequest().getPath();
        } else if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
            detail = "Send the body as application/json";
        } else {
            detail = messages(context);
        }
        SlackProblem problem = problems.problem(status, detail, context.getRequest(), null, params);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<String> typed = (MutableHttpResponse<String>) response;
        return typed.contentType(Problems.MEDIA_TYPE).body(problems.json(problem));
    }

    private static String badRequestDetail(ErrorContext context, Throwable cause, List<Map.Entry<String, String>> params) {
        SerdeException serde = find(cause, SerdeException.class);
        ConversionErrorException conversion = find(cause, ConversionErrorException.class);
        UnsatisfiedRouteException unsatisfied = find(cause, UnsatisfiedRouteException.class);
        if (serde != null) {
            String field = serdeField(serde);
            String reason = serdeReason(serde);
            if (field != null) {
                params.add(Map.entry(field, reason));
                return field + ": " + reason;
            }
            return "Malformed JSON body: " + reason;
        }
        if (conversion != null) {
            String field = FieldNames.external(conversion.getArgument().getName());
            if (conversion.getArgument().getType().getSimpleName().endsWith("Request")) {
                return "Malformed JSON body: " + firstLine(conversion.getConversionError().getCause().getMessage());
            }
            String reason = "has the wrong format: " + firstLine(conversion.getConversionError().getCause().getMessage());
            params.add(Map.entry(field, reason));
            return field + ": " + reason;
        }
        if (unsatisfied != null) {
            Argument<?> argument = unsatisfied.getArgument();
            boolean body = argument.getType().getSimpleName().endsWith("Request");
            String field = body ? "body" : FieldNames.external(argument.getName());
            String reason = body ? "a JSON body is required" : "is required";
            params.add(Map.entry(field, reason));
            return field + ": " + reason;
        }
        return messages(context);
    }

    private static String serdeField(SerdeException serde) {
        List<ReferencePath> path = serde.getPath();
        if (path == null || path.isEmpty()) {
            return null;
        }
        return path.stream()
                .map(ReferencePath::getArgument)
                .filter(a -> a != null && a.getName() != null && !a.getName().isEmpty())
                .map(a -> FieldNames.external(a.getName()))
                .collect(Collectors.joining("."));
    }

    private static String serdeReason(SerdeException serde) {
        Throwable innermost = serde;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        if (innermost instanceof IllegalArgumentException && message != null && message.startsWith("Unexpected value")) {
            return "has an unknown value (" + message.substring("Unexpected value ".length()) + ")";
        }
        return message == null ? "cannot be read" : firstLine(message);
    }

    private static String messages(ErrorContext context) {
        String joined = context.getErrors().stream().map(Error::getMessage).map(ProblemErrorResponseProcessor::firstLine)
                .collect(Collectors.joining("; "));
        return joined.isBlank() ? "The request cannot be served" : joined;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
