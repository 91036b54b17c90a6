package org.agentplatform.sentry.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error this service answers as {@code application/problem+json} (RFC 9457).
 * Thrown anywhere below the controllers; {@link ProblemHandlers} turns it into the response.
 */
public class ApiProblem extends RuntimeException {

    /** One entry of {@code invalid_params}: the JSON/HTTP name of the field and why it is wrong. */
    public record InvalidParam(String name, String reason) {
    }

    private final HttpStatus status;
    private final List<InvalidParam> invalidParams;
    private final Map<String, String> headers;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of(), Map.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<InvalidParam> invalidParams,
                      @Nullable Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.invalidParams = List.copyOf(invalidParams);
        this.headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    public static ApiProblem badRequest(String field, String reason) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field + ": " + reason,
                List.of(new InvalidParam(field, reason)), null);
    }

    public HttpStatus status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public List<InvalidParam> invalidParams() {
        return invalidParams;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
