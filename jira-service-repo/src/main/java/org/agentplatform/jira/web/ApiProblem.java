package org.agentplatform.jira.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.http.HttpStatus;
import org.agentplatform.jira.model.ProblemInvalidParamsInner;

/**
 * An error answered as {@code application/problem+json} (RFC 9457). Carries, for the call log,
 * what Jira answered (status) and how many attempts it took.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String detail;
    private final List<ProblemInvalidParamsInner> invalidParams;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Integer vendorStatus;
    private int attempts;
    private Long durationMs;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<ProblemInvalidParamsInner> invalidParams) {
        super(detail);
        this.status = status;
        this.detail = detail;
        this.invalidParams = invalidParams;
    }

    /** A 400 naming the invalid field of the request. */
    public static ApiProblem invalid(String field, String reason) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field + ": " + reason,
                List.of(new ProblemInvalidParamsInner(field, reason)));
    }

    public ApiProblem vendor(Integer vendorStatus, int attempts, Long durationMs) {
        this.vendorStatus = vendorStatus;
        this.attempts = attempts;
        this.durationMs = durationMs;
        return this;
    }

    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public HttpStatus getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public List<ProblemInvalidParamsInner> getInvalidParams() {
        return invalidParams;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public Integer getVendorStatus() {
        return vendorStatus;
    }

    public int getAttempts() {
        return attempts;
    }

    public Long getDurationMs() {
        return durationMs;
    }
}
