package org.agentplatform.gateway.queue;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.messages.TaskQueueMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The task queue as the contracts define it (asyncapi/platform.yaml): one Redis stream per priority
 * level, {@code agent:tasks:<min(priority,9)>}, each entry with one field {@code message} holding the
 * {@link TaskQueueMessage} JSON.
 */
@Singleton
public class TaskQueue {

    public static final String STREAM_PREFIX = "agent:tasks:";
    public static final String FIELD = "message";

    private final RedisConnections redis;
    private final JsonMapper json;

    public TaskQueue(RedisConnections redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    public static String streamFor(long priority) {
        return STREAM_PREFIX + Math.min(Math.max(priority, 0), 9);
    }

    /** The exact JSON that goes on the stream. */
    public String toJson(TaskQueueMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** XADD; returns the stream entry id. Throws when Redis is unavailable. */
    public String add(TaskQueueMessage message) {
        long priority = message.getPriority() == null ? 0 : message.getPriority();
        return redis.sync().xadd(streamFor(priority), Map.of(FIELD, toJson(message)));
    }
}
