package org.agentplatform.gateway.task;

import jakarta.inject.Singleton;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.model.Delivery;
import org.agentplatform.gateway.model.Task;
import org.agentplatform.gateway.model.TaskSource;
import org.agentplatform.gateway.store.DeliveryRow;
import org.agentplatform.gateway.store.TaskRow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Rows as the API's generated models. */
@Singleton
public class TaskViews {

    private final TaskFactory factory;

    public TaskViews(TaskFactory factory) {
        this.factory = factory;
    }

    public Task task(TaskRow row) {
        TaskQueueMessage m = row.message();
        TaskSource source = m.getSource() == null
                ? new TaskSource(TaskSource.VendorEnum.API)
                : factory.convert(m.getSource(), TaskSource.class);
        Task task = new Task(row.taskId(), Task.StatusEnum.fromValue(row.status()), m.getInputMessage(), m.getUserId(),
                row.priority(), m.getModel(), m.getAgentType(), row.correlationId(), source, utc(row.createdAt()));
        task.setSessionId(m.getSessionId());
        task.setEnqueuedAt(row.enqueuedAt() == null ? null : utc(row.enqueuedAt()));
        return task;
    }

    public Delivery delivery(DeliveryRow row) {
        Delivery d = new Delivery(row.id(), Delivery.VendorEnum.fromValue(row.vendor()), row.deliveryId(),
                Delivery.OutcomeEnum.fromValue(row.outcome()), utc(row.receivedAt()));
        d.setEvent(row.event());
        d.setReason(row.reason());
        d.setTaskId(row.taskId());
        d.setCorrelationId(row.correlationId());
        return d;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
