package org.agentplatform.agent.runner;

import java.math.BigDecimal;

/** An attempt that failed. Retryable failures are tried again (with backoff) up to AGENT_MAX_ATTEMPTS. */
public class RunnerException extends Exception {
    private final boolean retryable;
    private final BigDecimal costUsd;

    public RunnerException(String message, boolean retryable) {
        this(message, retryable, BigDecimal.ZERO);
    }

    public RunnerException(String message, boolean retryable, BigDecimal costUsd) {
        super(message);
        this.retryable = retryable;
        this.costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    }

    public boolean retryable() {
        return retryable;
    }

    public BigDecimal costUsd() {
        return costUsd;
    }
}
