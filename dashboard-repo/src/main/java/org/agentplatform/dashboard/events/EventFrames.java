package org.agentplatform.dashboard.events;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.SerdeImport;
import jakarta.inject.Singleton;
import org.agentplatform.dashboard.messages.DashboardEvent;
import org.agentplatform.dashboard.messages.TaskEvent;

import java.io.IOException;
import java.util.Optional;

/**
 * TaskEvent JSON from {@code agent:events} in, DashboardEvent frames (the WebSocket's text
 * frames) out, both through the classes generated from the contracts' JSON Schemas.
 */
@Singleton
@SerdeImport(TaskEvent.class)
@SerdeImport(TaskEvent.Type.class)
@SerdeImport(TaskEvent.SourceVendor.class)
@SerdeImport(DashboardEvent.class)
@SerdeImport(DashboardEvent.Kind.class)
public class EventFrames {
    private final JsonMapper json;

    public EventFrames(JsonMapper json) {
        this.json = json;
    }

    /** The event, when the JSON is a TaskEvent with the schema's required fields. */
    public Optional<TaskEvent> parse(String eventJson) {
        try {
            TaskEvent e = json.readValue(eventJson, Argument.of(TaskEvent.class));
            if (e == null || e.getTaskId() == null || e.getTaskId().isEmpty() || e.getType() == null || e.getAt() == null
                    || e.getMessage() == null) {
                return Optional.empty();
            }
            return Optional.of(e);
        } catch (IOException | RuntimeException invalid) {
            return Optional.empty();
        }
    }

    public String taskEvent(String id, TaskEvent event) {
        DashboardEvent frame = new DashboardEvent();
        frame.setKind(DashboardEvent.Kind.TASK_EVENT);
        frame.setId(id);
        frame.setEvent(event);
        return write(frame);
    }

    public String refresh(String reason) {
        DashboardEvent frame = new DashboardEvent();
        frame.setKind(DashboardEvent.Kind.REFRESH);
        frame.setReason(reason);
        return write(frame);
    }

    private String write(DashboardEvent frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a DashboardEvent", e);
        }
    }
}
