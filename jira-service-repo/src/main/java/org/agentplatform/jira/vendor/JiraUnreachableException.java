package org.agentplatform.jira.vendor;

/** No HTTP answer from Jira after all attempts (connection refused, timeouts, ...). */
public class JiraUnreachableException extends RuntimeException {

    private final int attempts;
    private final long durationMs;

    public JiraUnreachableException(String message, int attempts, long durationMs) {
        super(message);
        this.attempts = attempts;
        this.durationMs = durationMs;
    }

    public int getAttempts() {
        return attempts;
    }

    public long getDurationMs() {
        return durationMs;
    }
}
