package org.agentplatform.agent.run;

import java.util.Set;

/** The run statuses of the agent API (and the runs table). */
public final class RunStatus {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String DEAD_LETTERED = "dead_lettered";

    public static final Set<String> ALL = Set.of(QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED);
    public static final Set<String> FINISHED = Set.of(SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED);
    public static final Set<String> RETRYABLE = Set.of(FAILED, CANCELLED, DEAD_LETTERED);

    /** answer_state values. */
    public static final String ANSWER_NONE = "none";
    public static final String ANSWER_PENDING = "pending";
    public static final String ANSWER_POSTED = "posted";
    public static final String ANSWER_STORED = "stored";
    public static final String ANSWER_FAILED = "failed";

    private RunStatus() {
    }
}
