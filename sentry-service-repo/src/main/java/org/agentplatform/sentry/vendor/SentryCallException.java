package org.agentplatform.sentry.vendor;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/** A call to Sentry that did not end in a 2xx answer (after the retries it deserved). */
public class SentryCallException extends RuntimeException {

    /** How the call failed. */
    public enum Kind {
        /** Sentry answered a non-2xx status that is not retried (or still failed on the last attempt). */
        HTTP_STATUS,
        /** Sentry asked us to wait longer (Retry-After) than SENTRY_RETRY_MAX_DELAY allows. */
        RATE_LIMITED,
        /** No answer: connection refused/reset, DNS, or timeout, on every attempt. */
        UNREACHABLE
    }

    private final Kind kind;
    private final int status;
    @Nullable
    private final String body;
    private final int attempts;
    @Nullable
    private final Duration retryAfter;
    private final String url;

    public SentryCallException(Kind kind, int status, @Nullable String body, int attempts,
                               @Nullable Duration retryAfter, String url, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.attempts = attempts;
        this.retryAfter = retryAfter;
        this.url = url;
    }

    public Kind kind() {
        return kind;
    }

    /** The last HTTP status from Sentry, 0 when none came. */
    public int status() {
        return status;
    }

    @Nullable
    public String body() {
        return body;
    }

    public int attempts() {
        return attempts;
    }

    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }

    public String url() {
        return url;
    }
}
