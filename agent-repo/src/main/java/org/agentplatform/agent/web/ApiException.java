package org.agentplatform.agent.web;

import io.micronaut.http.HttpStatus;

import java.util.List;

/** A domain answer that is an HTTP error: rendered as problem+json. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final List<Problems.InvalidParam> invalidParams;

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiException(HttpStatus status, String detail, List<Problems.InvalidParam> invalidParams) {
        super(detail);
        this.status = status;
        this.invalidParams = invalidParams;
    }

    public HttpStatus status() {
        return status;
    }

    public List<Problems.InvalidParam> invalidParams() {
        return invalidParams;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail);
    }

    public static ApiException badParam(String name, String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST, name + ": " + reason, List.of(new Problems.InvalidParam(name, reason)));
    }
}
