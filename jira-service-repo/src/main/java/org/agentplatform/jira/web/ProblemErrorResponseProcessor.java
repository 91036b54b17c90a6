package org.agentplatform.jira.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.agentplatform.jira.model.Problem;
import org.agentplatform.jira.model.ProblemInvalidParamsInner;

/**
 * Turns every error Micronaut produces itself (unknown route 404, wrong method 405, unsupported
 * media type 415, malformed JSON, unconvertible parameters, missing body, ...) into
 * problem+json. Stack traces and exception internals never reach the caller.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    /** Serde's and Micronaut's ways to name what failed: {@code [String transition]}, {@code argument [page]}. */
    private static final Pattern CONVERSION = Pattern.compile("Failed to convert argument \\[(\\w+)\\] for value \\[(.*?)\\] due to: (.*)");
    private static final Pattern PROPERTY = Pattern.compile("(?:property|argument|Body|parameter) \\[(?:[\\w.<>$]+ )?(\\w+)\\]");

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<ProblemInvalidParamsInner> params = new ArrayList<>();
        Set<String> details = new LinkedHashSet<>();
        String detail;
        if (status == HttpStatus.NOT_FOUND) {
            detail = "No such resource: " + context.getRequest().getMethodName() + " " + context.getRequest().getPath();
        } else if (status.getCode() >= 500) {
            detail = "Internal error; see the service log (correlation id in X-Correlation-Id)";
        } else {
            for (Error error : context.getErrors()) {
                String message = clean(error.getMessage());
                details.add(message);
                if (status == HttpStatus.BAD_REQUEST) {
                    String field = fieldOf(error.getMessage());
                    if (field == null) {
                        field = error.getPath().map(p -> p.startsWith("/") ? p.substring(1) : p)
                                .filter(p -> !p.isBlank()).map(ProblemErrorResponseProcessor::wireName).orElse(null);
                    }
                    if (field != null) {
                        params.add(new ProblemInvalidParamsInner(field, message));
                    }
                }
            }
            detail = details.isEmpty() ? status.getReason() : String.join("; ", details);
            if (status == HttpStatus.BAD_REQUEST && !params.isEmpty()) {
                detail = params.get(0).getName() + ": " + detail;
            }
        }
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Problem> problemResponse = (MutableHttpResponse<Problem>) response;
        problemResponse.body(Problems.problem(status, detail, params, context.getRequest()));
        problemResponse.contentType(Problems.PROBLEM_JSON);
        return problemResponse;
    }

    private static String fieldOf(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = PROPERTY.matcher(message);
        String name = null;
        while (m.find()) {
            name = m.group(1); // the innermost / last named property is the one that failed
        }
        if (name == null) {
            return message.contains("JSON") || message.contains("Json") ? "body" : null;
        }
        return wireName(name);
    }

    /** Java argument names of the generated controllers as the caller knows them. */
    private static String wireName(String javaName) {
        return Map.of("jiraCommentRequest", "body", "jiraTransitionRequest", "body",
                        "idempotencyKey", "Idempotency-Key", "xCorrelationId", "X-Correlation-Id")
                .getOrDefault(javaName, ConstraintViolationHandler.snake(javaName));
    }

    /** First line only, without Java class names. */
    private static String clean(String message) {
        if (message == null) {
            return "Invalid request";
        }
        String first = message.lines().findFirst().orElse(message);
        first = first.replaceAll("\\s*\\(start marker at \\[Source:.*$", "").replaceAll("\\s*at \\[Source:.*$", "");
        Matcher conversion = CONVERSION.matcher(first);
        if (conversion.matches()) {
            String value = conversion.group(2);
            first = "null".equals(value) ? conversion.group(3).trim() : "invalid value '" + value + "': " + conversion.group(3).trim();
        }
        int decoding = first.indexOf("Error decoding property");
        if (decoding >= 0) {
            int tail = first.indexOf("]: ", first.indexOf("of type", decoding));
            first = "invalid JSON value" + (tail > 0 ? ": " + first.substring(tail + 3) : "");
        }
        if (first.startsWith("Required Body [")) {
            first = "a JSON request body is required";
        }
        first = first.replaceAll("(?:[a-z]\\w*\\.)+([A-Z]\\w*)", "$1");
        return first.length() > 500 ? first.substring(0, 500) + "…" : first;
    }
}
