package org.agentplatform.gateway.webhook;

/** What a signed, parsed delivery of any vendor asks of the gateway. */
public sealed interface VendorDecision {

    /** A liveness check (GitHub {@code ping}): answered {@code pong}. */
    record Pong(String reason) implements VendorDecision {
    }

    /** Not for the agent: answered {@code ignored} with the reason; nothing is queued. */
    record Ignore(String reason) implements VendorDecision {
    }

    /** Becomes a task. */
    record CreateTask(TaskSpec spec, String reason) implements VendorDecision {
    }
}
