package org.agentplatform.gateway.webhook;

/** What a signed, parsed GitHub delivery asks of the gateway. */
public sealed interface GithubDecision {

    /** A {@code ping}: answered 200 {@code pong}. */
    record Pong(String reason) implements GithubDecision {
    }

    /** Not for the agent: answered 202 {@code ignored} with the reason; nothing is queued. */
    record Ignore(String reason) implements GithubDecision {
    }

    /** A comment that asks the agent: becomes a task. */
    record CreateTask(GithubComment comment, String reason) implements GithubDecision {
    }
}
