package org.agentplatform.dashboard.web;

import io.micronaut.http.HttpStatus;

/** Ends a request with a problem+json answer of this status and detail. */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final java.util.List<org.agentplatform.dashboard.model.ProblemInvalidParamsInner> invalidParams;

    public ProblemException(HttpStatus status, String detail) {
        this(status, detail, java.util.List.of());
    }

    public ProblemException(HttpStatus status, String detail,
                            java.util.List<org.agentplatform.dashboard.model.ProblemInvalidParamsInner> invalidParams) {
        super(detail, null, false, false);
        this.status = status;
        this.invalidParams = invalidParams;
    }

    public java.util.List<org.agentplatform.dashboard.model.ProblemInvalidParamsInner> invalidParams() {
        return invalidParams;
    }

    public HttpStatus status() {
        return status;
    }
}
