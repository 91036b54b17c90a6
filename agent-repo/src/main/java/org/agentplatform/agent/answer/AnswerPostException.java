package org.agentplatform.agent.answer;

/**
 * Posting failed. Retryable: the vendor service is down, overloaded or refused our token (tried
 * again with backoff, then on redelivery); not retryable: the request itself is wrong (404, 422).
 */
public class AnswerPostException extends Exception {
    private final boolean retryable;

    public AnswerPostException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
