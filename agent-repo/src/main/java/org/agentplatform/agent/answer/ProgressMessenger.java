package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;
import org.agentplatform.agent.messages.TaskQueueMessage;

/**
 * Posts and edits the one progress message of a task where it came from (a GitHub comment, a
 * Slack thread reply, a Jira comment). Implemented by the vendor's answer poster; sources that
 * cannot edit a message (Sentry notes, Slack slash commands) have none.
 */
public interface ProgressMessenger {

    /** The TaskSource vendor. */
    String vendor();

    /** Whether this task gets a progress message at all. */
    boolean supportsProgress(TaskQueueMessage message);

    /**
     * Posts the progress message and returns its reference (comment id, message ts). With the same
     * idempotency key the vendor service returns the message it posted first, so a redelivered task
     * finds its message again instead of posting a second one.
     */
    String createProgress(TaskQueueMessage message, String text, String idempotencyKey, @Nullable String correlationId)
            throws AnswerPostException;

    /** Replaces the progress message's text. No idempotency key: every edit has another body. */
    void editProgress(TaskQueueMessage message, String reference, String text, @Nullable String correlationId)
            throws AnswerPostException;
}
