package org.agentplatform.gateway.http;

import io.micronaut.http.HttpStatus;
import org.agentplatform.gateway.model.ProblemInvalidParamsInner;

import java.util.List;

/** Ends a request with an {@code application/problem+json} answer (see {@link Problems}). */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final List<ProblemInvalidParamsInner> invalidParams;

    public ProblemException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ProblemException(HttpStatus status, String detail, List<ProblemInvalidParamsInner> invalidParams) {
        super(detail, null, false, false);
        this.status = status;
        this.invalidParams = List.copyOf(invalidParams);
    }

    /** 400 naming one field, in {@code detail} and in {@code invalid_params}. */
    public static ProblemException badField(String name, String reason) {
        return new ProblemException(HttpStatus.BAD_REQUEST, name + ": " + reason,
                List.of(new ProblemInvalidParamsInner(name, reason)));
    }

    public HttpStatus getStatus() {
        return status;
    }

    public String getDetail() {
        return getMessage();
    }

    public List<ProblemInvalidParamsInner> getInvalidParams() {
        return invalidParams;
    }
}
