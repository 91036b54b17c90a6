package org.agentplatform.slack.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * A failure to report as {@code application/problem+json} (RFC 9457). {@code slackError} carries
 * Slack's own error code (e.g. {@code channel_not_found}) as the extension member
 * {@code slack_error}, so callers can branch on it.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String detail;
    @Nullable
    private final String slackError;
    private final List<Map.Entry<String, String>> invalidParams;
    private final Map<String, String> headers;

    public ProblemException(HttpStatus status, String detail, @Nullable String slackError,
                            List<Map.Entry<String, String>> invalidParams, Map<String, String> headers) {
        super(status.getCode() + " " + detail, null, false, false);
        this.status = status;
        this.detail = detail;
        this.slackError = slackError;
        this.invalidParams = List.copyOf(invalidParams);
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException of(HttpStatus status, String detail) {
        return new ProblemException(status, detail, null, List.of(), Map.of());
    }

    public static ProblemException slack(HttpStatus status, String detail, @Nullable String slackError) {
        return new ProblemException(status, detail, slackError, List.of(), Map.of());
    }

    public static ProblemException invalid(String field, String reason) {
        return new ProblemException(HttpStatus.BAD_REQUEST, field + ": " + reason, null,
                List.of(Map.entry(field, reason)), Map.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    @Nullable
    public String slackError() {
        return slackError;
    }

    public List<Map.Entry<String, String>> invalidParams() {
        return invalidParams;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
