package org.agentplatform.gateway.task;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.model.CreateTaskRequest;
import org.agentplatform.gateway.store.TaskRepository;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.store.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Tasks created directly through {@code POST /api/v1/tasks}. */
@Singleton
public class TaskService {

    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);

    private final TaskFactory factory;
    private final TaskStore store;
    private final TaskRepository tasks;
    private final AfterAnswer afterAnswer;

    public TaskService(TaskFactory factory, TaskStore store, TaskRepository tasks, AfterAnswer afterAnswer) {
        this.factory = factory;
        this.store = store;
        this.tasks = tasks;
        this.afterAnswer = afterAnswer;
    }

    public record Created(TaskRow row, boolean existing) {
    }

    /** Stores the task (or finds the one created first with the same Idempotency-Key) and enqueues it. */
    public Created create(CreateTaskRequest request, @Nullable String idempotencyKey, String correlationId,
                          @Nullable String traceparent, String caller) {
        if (idempotencyKey != null) {
            Optional<TaskRow> first = tasks.findByIdempotencyKey(idempotencyKey);
            if (first.isPresent()) {
                LOG.info("Idempotency-Key {} seen before: answering task {}", idempotencyKey, first.get().taskId());
                return new Created(first.get(), true);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TaskQueueMessage message = factory.fromRequest(request, correlationId, Traceparent.orNew(traceparent),
                now.atOffset(ZoneOffset.UTC));
        TaskRow row = TaskRow.accepted(message, idempotencyKey, null, now);
        try {
            store.insertTask(row);
        } catch (RuntimeException e) {
            if (idempotencyKey != null && TaskStore.isUniqueViolation(e)) {
                return tasks.findByIdempotencyKey(idempotencyKey).map(r -> new Created(r, true)).orElseThrow(() -> e);
            }
            throw e;
        }
        LOG.info("Task {} accepted from {} via the API (priority {})", row.taskId(), caller, row.priority());
        afterAnswer.taskCommitted(row, false);
        return new Created(row, false);
    }

    public Optional<TaskRow> find(String taskId) {
        return tasks.findById(taskId);
    }
}
