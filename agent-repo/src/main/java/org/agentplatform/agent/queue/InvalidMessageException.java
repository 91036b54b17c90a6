package org.agentplatform.agent.queue;

/** A queue entry whose message is not a valid TaskQueueMessage: it is dead-lettered at once. */
public class InvalidMessageException extends Exception {
    private final String taskId;

    public InvalidMessageException(String message, String taskId) {
        super(message);
        this.taskId = taskId;
    }

    /** The task id if one could be read from the broken message, else null. */
    public String taskId() {
        return taskId;
    }
}
