package org.agentplatform.sentry.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedArgumentHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Exception handlers that answer every client error as problem+json naming the field the way the
 * contract names it ({@code text}, {@code assigned_to}, {@code issue_id}, {@code Idempotency-Key}),
 * never as the Java path ({@code addSentryNoteApi.sentryNoteRequest.text}).
 */
public final class ProblemHandlers {

    /** Java parameter names of the generated controllers → their HTTP names in the contract. */
    private static final Map<String, String> PARAMETER_NAMES = Map.of(
            "issueId", "issue_id",
            "idempotencyKey", "Idempotency-Key",
            "xCorrelationId", "X-Correlation-Id",
            "correlationId", "correlation_id",
            "dryRun", "dry_run",
            "page", "page",
            "size", "size");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {
    }

    static String httpName(Argument<?> argument) {
        AnnotationMetadata md = argument.getAnnotationMetadata();
        for (Class<? extends java.lang.annotation.Annotation> a
                : List.of(QueryValue.class, Header.class, PathVariable.class)) {
            String v = md.stringValue(a).orElse(null);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        if (md.hasAnnotation(Body.class)) {
            return "body";
        }
        return parameterName(argument.getName());
    }

    static String parameterName(String javaName) {
        String known = PARAMETER_NAMES.get(javaName);
        if (known != null) {
            return known;
        }
        return javaName.endsWith("Request") ? "body" : Problems.snakeCase(javaName);
    }

    /** The contract name of the field a violation is about. */
    static String fieldName(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        List<String> parts = new ArrayList<>();
        Path.Node parameter = null;
        for (Path.Node node : nodes) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.PARAMETER) {
                parameter = node;
            } else if (kind == ElementKind.PROPERTY || kind == ElementKind.CONTAINER_ELEMENT
                    || kind == ElementKind.BEAN) {
                if (node.getName() != null && !node.getName().isBlank()) {
                    String name = Problems.snakeCase(node.getName());
                    if (node.getIndex() != null) {
                        name = name + "[" + node.getIndex() + "]";
                    }
                    parts.add(name);
                }
            }
        }
        if (parts.isEmpty()) {
            return parameter == null ? "body" : parameterName(parameter.getName());
        }
        return String.join(".", parts);
    }

    private static final java.util.regex.Pattern PROPERTY_ERROR = java.util.regex.Pattern.compile(
            "Error decoding property \\[(?:\\S+ )?(\\w+)\\] of type \\[[^\\]]*\\]: (.*)", java.util.regex.Pattern.DOTALL);

    /** A JSON body that parsed but does not fit the model: name the property when Serde tells which. */
    static ApiProblem.InvalidParam bodyProblem(Argument<?> argument, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            java.util.regex.Matcher m = PROPERTY_ERROR.matcher(message);
            if (m.find()) {
                String javaName = m.group(1);
                String reason = m.group(2).trim();
                String allowed = allowedValues(argument.getType(), javaName);
                if (allowed != null) {
                    reason = reason + " (allowed: " + allowed + ")";
                }
                return new ApiProblem.InvalidParam(Problems.snakeCase(javaName), reason);
            }
            if (message.contains("expected START_OBJECT")) {
                return new ApiProblem.InvalidParam("body", "must be a JSON object");
            }
        }
        return new ApiProblem.InvalidParam("body", "is not valid for this operation");
    }

    /** For an enum property of the model, its JSON values ({@code resolved, unresolved, ignored}). */
    static String allowedValues(Class<?> type, String javaName) {
        try {
            Class<?> fieldType = type.getDeclaredField(javaName).getType();
            if (!fieldType.isEnum()) {
                return null;
            }
            return java.util.Arrays.stream(fieldType.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    @Singleton
    public static class ApiProblemHandler implements ExceptionHandler<ApiProblem, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiProblem exception) {
            return Problems.response(exception, request);
        }
    }

    @Singleton
    @Replaces(ConstraintExceptionHandler.class)
    public static class ConstraintViolationHandler
            implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
            List<ApiProblem.InvalidParam> params = exception.getConstraintViolations().stream()
                    .map(v -> new ApiProblem.InvalidParam(fieldName(v.getPropertyPath()), reason(v)))
                    .distinct()
                    .sorted(Comparator.comparing(ApiProblem.InvalidParam::name))
                    .toList();
            String detail = params.stream().map(p -> p.name() + ": " + p.reason())
                    .collect(Collectors.joining("; "));
            return Problems.response(HttpStatus.BAD_REQUEST, detail, params, request);
        }

        private static String reason(ConstraintViolation<?> v) {
            return v.getMessage();
        }
    }

    @Singleton
    @Replaces(ConversionErrorHandler.class)
    public static class ConversionHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ConversionErrorException exception) {
            LOG.debug("Cannot convert {}", exception.getArgument(), exception);
            Argument<?> argument = exception.getArgument();
            if ("body".equals(httpName(argument))) {
                ApiProblem.InvalidParam p = bodyProblem(argument, exception);
                return Problems.response(HttpStatus.BAD_REQUEST, p.name() + ": " + p.reason(), List.of(p), request);
            }
            String name = httpName(argument);
            Object value = exception.getConversionError().getOriginalValue().orElse(null);
            String reason = value == null
                    ? "has an invalid value"
                    : "cannot use '" + Problems.truncate(String.valueOf(value), 100) + "' as " + describe(argument);
            return Problems.response(HttpStatus.BAD_REQUEST, name + ": " + reason,
                    List.of(new ApiProblem.InvalidParam(name, reason)), request);
        }

        private static String describe(Argument<?> argument) {
            Class<?> type = argument.getType();
            if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
                return "an integer";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "a boolean (true or false)";
            }
            return "a value of the expected type";
        }
    }

    @Singleton
    @Replaces(UnsatisfiedArgumentHandler.class)
    public static class MissingArgumentHandler
            implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, UnsatisfiedArgumentException exception) {
            String name = httpName(exception.getArgument());
            String reason = "body".equals(name) ? "a JSON request body is required" : "is required";
            return Problems.response(HttpStatus.BAD_REQUEST, name + ": " + reason,
                    List.of(new ApiProblem.InvalidParam(name, reason)), request);
        }
    }
}
