package org.agentplatform.gateway.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.agentplatform.gateway.model.Problem;
import org.agentplatform.gateway.model.ProblemInvalidParamsInner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every error the framework produces (unknown route 404, wrong method 405, malformed JSON 400,
 * validation 400, body too large 413, unexpected 500) becomes {@code application/problem+json} with
 * the contract's {@link Problem} shape. Validation errors name the JSON property or HTTP parameter
 * ({@code input_message}, {@code Idempotency-Key}), never the Java path. No stack trace, no
 * exception message of an unexpected error, no secret ever goes into {@code detail}.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

    private final long maxRequestSize;

    public ProblemErrorResponseProcessor(@Value("${micronaut.server.max-request-size:10485760}") long maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    @Override
    @NonNull
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(@NonNull ErrorContext context,
                                                        @NonNull MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        if (request.getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        Throwable cause = context.getRootCause().orElse(null);
        int status = response.code();
        List<ProblemInvalidParamsInner> invalid = List.of();
        String detail;

        if (cause instanceof ContentLengthExceededException) {
            status = HttpStatus.REQUEST_ENTITY_TOO_LARGE.getCode();
            detail = tooLargeDetail(request);
        } else if (cause instanceof ConstraintViolationException cve) {
            invalid = invalidParams(cve);
            detail = invalid.stream().map(p -> p.getName() + ": " + p.getReason()).collect(Collectors.joining("; "));
        } else if (isJsonError(cause)) {
            detail = "The request body is not valid JSON";
        } else if (isUnstorableText(cause)) {
            status = HttpStatus.BAD_REQUEST.getCode();
            detail = "A text in the request contains the character U+0000 (NUL), which cannot be stored";
        } else if (isDatabaseUnavailable(cause)) {
            status = HttpStatus.SERVICE_UNAVAILABLE.getCode();
            detail = "The database is unavailable; retry later";
            LOG.error("Database unavailable while serving {} {}", request.getMethod(), request.getPath(), cause);
        } else if (status >= 500) {
            detail = "Unexpected error; the log has the details under correlation id "
                    + request.getAttribute(Correlation.ATTRIBUTE, String.class).orElse("-");
            if (cause != null) {
                LOG.error("Unexpected error serving {} {}", request.getMethod(), request.getPath(), cause);
            }
        } else if (status == HttpStatus.NOT_FOUND.getCode() && cause == null) {
            detail = "No such resource: " + request.getMethod() + " " + request.getPath();
        } else {
            detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        }
        response.status(status);
        Problem problem = Problems.problem(status, detail, request, invalid);
        return response.body(problem).contentType(Problems.PROBLEM_JSON);
    }

    private String tooLargeDetail(HttpRequest<?> request) {
        long length = request.getContentLength();
        return length > 0
                ? "The body is " + length + " bytes; the limit is " + maxRequestSize
                : "The body is larger than the limit of " + maxRequestSize + " bytes";
    }

    private static boolean isJsonError(@Nullable Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JsonSyntaxException || t.getClass().getName().startsWith("com.fasterxml.jackson.core")) {
                return true;
            }
        }
        return false;
    }

    /**
     * PostgreSQL refuses U+0000 in text (22021) and as an escape in JSONB (22P05): a
     * value the client sent, so a 400 (the transaction is rolled back, nothing is stored).
     */
    private static boolean isUnstorableText(@Nullable Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDatabaseUnavailable(@Nullable Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException
                    || (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                    || (t instanceof DataAccessException && t.getClass().getSimpleName().contains("Connection"))) {
                return true;
            }
        }
        return false;
    }

    /** One entry per violation, named as the client sees it. */
    static List<ProblemInvalidParamsInner> invalidParams(ConstraintViolationException cve) {
        List<ProblemInvalidParamsInner> out = new ArrayList<>();
        for (ConstraintViolation<?> v : cve.getConstraintViolations()) {
            out.add(new ProblemInvalidParamsInner(clientName(v), v.getMessage()));
        }
        out.sort(Comparator.comparing(ProblemInvalidParamsInner::getName));
        return out;
    }

    private static String clientName(ConstraintViolation<?> violation) {
        String method = null;
        List<String> properties = new ArrayList<>();
        String parameterName = null;
        for (Path.Node node : violation.getPropertyPath()) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD) {
                method = node.getName();
            } else if (kind == ElementKind.PARAMETER) {
                parameterName = boundName(violation.getRootBeanClass(), method, node);
            } else if (node.getName() != null) {
                String name = snake(node.getName());
                if (node.getIndex() != null) {
                    name += "[" + node.getIndex() + "]";
                }
                properties.add(name);
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        return parameterName != null ? parameterName : String.valueOf(violation.getPropertyPath());
    }

    /** The name a parameter has on the wire: its {@code @Header}, {@code @PathVariable} or {@code @QueryValue}. */
    private static String boundName(@Nullable Class<?> type, @Nullable String methodName, Path.Node node) {
        if (methodName != null && node instanceof Path.ParameterNode pn) {
            int index = pn.getParameterIndex();
            // the validated bean may be an AOP subclass whose override carries no annotations: look up the hierarchy
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (!m.getName().equals(methodName) || index < 0 || index >= m.getParameterCount()) {
                        continue;
                    }
                    String name = wireName(m.getParameters()[index]);
                    if (name != null) {
                        return name;
                    }
                }
            }
        }
        return snake(node.getName());
    }

    @Nullable
    private static String wireName(Parameter p) {
        Header h = p.getAnnotation(Header.class);
        if (h != null) {
            return !h.value().isEmpty() ? h.value() : (h.name().isEmpty() ? null : h.name());
        }
        PathVariable pv = p.getAnnotation(PathVariable.class);
        if (pv != null) {
            return !pv.value().isEmpty() ? pv.value() : (pv.name().isEmpty() ? null : pv.name());
        }
        QueryValue q = p.getAnnotation(QueryValue.class);
        if (q != null && !q.value().isEmpty()) {
            return q.value();
        }
        return null;
    }

    static String snake(@Nullable String camel) {
        if (camel == null) {
            return "";
        }
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
