package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;
import org.agentplatform.gateway.messages.TaskSource;

import java.time.Duration;

/**
 * What a vendor's interpreter asks of a new task; {@link DeliveryIntake} turns it into the
 * {@code TaskQueueMessage} and stores it.
 *
 * @param agentType   null: the configured default ({@code AGENT_TYPE})
 * @param reaction    which acknowledgement reaction the task gets, if any
 * @param dedupeKey   non-null: at most one task per key within {@code dedupeWindow}
 * @param enrich      the task must be enriched (Sentry stack trace) before it is queued
 */
public record TaskSpec(
        String sessionId,
        String userId,
        String inputMessage,
        @Nullable String agentType,
        TaskSource source,
        Reaction reaction,
        @Nullable String dedupeKey,
        @Nullable Duration dedupeWindow,
        boolean enrich) {

    /** The acknowledgement reaction and the Idempotency-Key it is sent with. */
    public enum Reaction {
        /** None (Jira, Sentry, Slack slash commands: nothing to react to). */
        NONE,
        /** GitHub: {@code delivery-<X-GitHub-Delivery>-eyes}. */
        PER_DELIVERY,
        /** Slack: {@code task-<task_id>-reaction}. */
        PER_TASK
    }

    public static TaskSpec simple(String sessionId, String userId, String inputMessage, @Nullable String agentType,
                                  TaskSource source, Reaction reaction) {
        return new TaskSpec(sessionId, userId, inputMessage, agentType, source, reaction, null, null, false);
    }
}
