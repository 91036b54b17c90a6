package org.agentplatform.github.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

import java.time.Duration;
import java.util.List;

/**
 * A failure with a meaning for the caller: rendered as application/problem+json (RFC 9457) with this
 * status and detail. The detail is written for a person and never carries a secret.
 */
public class ApiProblem extends RuntimeException {

    /** One entry of {@code invalid_params}: the JSON name of the field and why it is wrong. */
    public record InvalidParam(String name, String reason) {
    }

    private final HttpStatus status;
    private final transient List<InvalidParam> invalidParams;
    @Nullable
    private final transient Duration retryAfter;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of(), null);
    }

    public ApiProblem(HttpStatus status, String detail, List<InvalidParam> invalidParams, @Nullable Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.invalidParams = List.copyOf(invalidParams);
        this.retryAfter = retryAfter;
    }

    public static ApiProblem invalidParam(String name, String reason) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, name + ": " + reason, List.of(new InvalidParam(name, reason)), null);
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

    /** When set, the response carries {@code Retry-After} (whole seconds, at least 1). */
    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }
}
