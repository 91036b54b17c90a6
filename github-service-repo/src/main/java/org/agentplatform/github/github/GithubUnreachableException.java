package org.agentplatform.github.github;

/** No answer came from GitHub (connection refused, reset, timeout) on any of the tries. */
public class GithubUnreachableException extends RuntimeException {

    private final int attempts;
    private final long durationMs;

    public GithubUnreachableException(String message, int attempts, long durationMs, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
        this.durationMs = durationMs;
    }

    public int attempts() {
        return attempts;
    }

    public long durationMs() {
        return durationMs;
    }
}
