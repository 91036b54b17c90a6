package org.agentplatform.jira.vendor;

import java.time.Instant;

/** No HTTP answer from Jira after all attempts (connection refused, timeouts, ...). */
public class JiraUnreachableException extends RuntimeException {

    private final int attempts;
    private final long durationMs;
    private final Instant unansweredSince;

    public JiraUnreachableException(String message, int attempts, long durationMs) {
        this(message, attempts, durationMs, null);
    }

    /** {@code unansweredSince}: when the first attempt that may have reached Jira unanswered began, or null. */
    public JiraUnreachableException(String message, int attempts, long durationMs, Instant unansweredSince) {
        super(message);
        this.attempts = attempts;
        this.durationMs = durationMs;
        this.unansweredSince = unansweredSince;
    }

    public int getAttempts() {
        return attempts;
    }

    public long getDurationMs() {
        return durationMs;
    }

    /** Null when no attempt can have reached Jira (e.g. the connection was refused every time). */
    public Instant getUnansweredSince() {
        return unansweredSince;
    }
}
