package org.agentplatform.agent.queue;

import java.util.List;
import java.util.stream.IntStream;

/** The Redis keys of the task queue (contracts: docs/conventions.md, asyncapi/platform.yaml). */
public final class TaskStreams {
    public static final String GROUP = "agent-workers";
    public static final String DEAD = "agent:tasks:dead";
    public static final String EVENTS = "agent:events";
    public static final int MAX_PRIORITY = 9;
    public static final long EVENTS_MAXLEN = 10_000;
    /** The priority streams, highest first: agent:tasks:9 … agent:tasks:0. */
    public static final List<String> BY_PRIORITY_DESC = IntStream.rangeClosed(0, MAX_PRIORITY)
            .map(i -> MAX_PRIORITY - i).mapToObj(TaskStreams::stream).toList();

    private TaskStreams() {
    }

    /** {@code agent:tasks:<min(priority, 9)>}; a negative or missing priority counts as 0. */
    public static String stream(long priority) {
        return "agent:tasks:" + Math.max(0, Math.min(priority, MAX_PRIORITY));
    }
}
