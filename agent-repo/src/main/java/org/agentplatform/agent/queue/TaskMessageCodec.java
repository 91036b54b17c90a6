package org.agentplatform.agent.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.agentplatform.agent.messages.TaskEvent;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.messages.TaskSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one entry point from queue bytes to a {@link TaskQueueMessage}: JSON → generated class →
 * the schema's constraints (required, minLength, minimum, pattern, enums). Unknown properties
 * are ignored, as the schema asks of consumers.
 */
@Singleton
public class TaskMessageCodec {
    private final JsonMapper json;
    private final Validator validator;

    public TaskMessageCodec(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public TaskQueueMessage parse(String message) throws InvalidMessageException {
        if (message == null || message.isBlank()) {
            throw new InvalidMessageException("empty message", null);
        }
        return parse(message.getBytes(StandardCharsets.UTF_8));
    }

    public TaskQueueMessage parse(byte[] bytes) throws InvalidMessageException {
        TaskQueueMessage msg;
        try {
            msg = json.readValue(bytes, Argument.of(TaskQueueMessage.class));
        } catch (IOException | RuntimeException e) {
            throw new InvalidMessageException("not a TaskQueueMessage: " + firstLine(e.getMessage()), lenientTaskId(bytes));
        }
        if (msg == null) {
            throw new InvalidMessageException("not a TaskQueueMessage: null", null);
        }
        List<String> typeErrors = new ArrayList<>();
        checkTypes(readLenient(new String(bytes, StandardCharsets.UTF_8)), TaskQueueMessage.class, "", typeErrors);
        if (!typeErrors.isEmpty()) {
            throw new InvalidMessageException("invalid TaskQueueMessage: " + String.join("; ", typeErrors), msg.getTaskId());
        }
        Set<ConstraintViolation<TaskQueueMessage>> violations = validator.validate(msg);
        if (!violations.isEmpty()) {
            String detail = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> snake(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .collect(Collectors.joining("; "));
            throw new InvalidMessageException("invalid TaskQueueMessage: " + detail, msg.getTaskId());
        }
        return msg;
    }

    public String write(TaskQueueMessage msg) {
        return writeJson(msg);
    }

    public String writeSource(TaskSource source) {
        return writeJson(source);
    }

    public String write(TaskEvent event) {
        return writeJson(event);
    }

    private String writeJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON object as a map without the schema (dead letters, broken messages). */
    public Map<String, Object> readLenient(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> m = json.readValue(text, Argument.mapOf(String.class, Object.class));
            return m == null ? Map.of() : m;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * JSON types the binding would coerce silently (a number where the schema says string, a
     * string where it says integer) are errors, as the schema says.
     */
    @SuppressWarnings("unchecked")
    private static void checkTypes(Map<String, Object> raw, Class<?> type, String path, List<String> errors) {
        BeanIntrospection<?> bean = BeanIntrospection.getIntrospection(type);
        for (BeanProperty<?, ?> p : bean.getBeanProperties()) {
            String name = p.stringValue(JsonProperty.class).orElse(p.getName());
            Object v = raw.get(name);
            if (v == null) {
                continue;
            }
            Class<?> t = p.getType();
            boolean ok;
            if (t == String.class || t.isEnum()) {
                ok = v instanceof String;
            } else if (t == Long.class || t == Integer.class) {
                ok = v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
            } else if (t == Double.class) {
                ok = v instanceof Number;
            } else if (t == Boolean.class) {
                ok = v instanceof Boolean;
            } else if (BeanIntrospector.SHARED.findIntrospection(t).isPresent()) {
                ok = v instanceof Map;
                if (ok) {
                    checkTypes((Map<String, Object>) v, t, path + name + ".", errors);
                }
            } else {
                ok = true;
            }
            if (!ok) {
                errors.add(path + name + ": must be " + (t == String.class || t.isEnum() ? "a string"
                        : t == Boolean.class ? "a boolean" : Number.class.isAssignableFrom(t) ? "a number" : "an object"));
            }
        }
    }

    private String lenientTaskId(byte[] bytes) {
        Object id = readLenient(new String(bytes, StandardCharsets.UTF_8)).get("task_id");
        return id instanceof String s && !s.isBlank() ? s : null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    /** taskId → task_id, source.github.commentId → source.github.comment_id. */
    static String snake(String path) {
        return path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
