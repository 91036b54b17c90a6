package org.agentplatform.agent.run;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.agent.messages.TaskEvent;
import org.agentplatform.agent.queue.TaskMessageCodec;
import org.agentplatform.agent.queue.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Records every state change of a run twice: a row in its status history and a
 * {@link TaskEvent} on {@code agent:events} (XADD MAXLEN ~ 10000). Events are best effort: a
 * Redis failure is logged and does not undo the change. On the worker path the history row is
 * written by the state change's own statement (RunRepository's CTEs) and only {@link #publish}
 * is called here.
 */
@Singleton
public class RunJournal {
    private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);

    private final StatusHistoryRepository history;
    private final TaskQueue queue;
    private final TaskMessageCodec codec;

    public RunJournal(StatusHistoryRepository history, TaskQueue queue, TaskMessageCodec codec) {
        this.history = history;
        this.queue = queue;
        this.codec = codec;
    }

    /** A status change: history row + event. */
    public void changed(RunEntity run, String status, TaskEvent.Type type, String message, @Nullable BigDecimal costUsd) {
        Integer attempt = run.attempts() > 0 ? run.attempts() : null;
        history.save(new StatusChangeEntity(null, run.taskId(), status, Instant.now(), message, attempt));
        publish(run, type, message, costUsd, null);
    }

    /** A history row without a status change of its own (e.g. "cancel requested"). */
    public void note(RunEntity run, String message) {
        history.save(new StatusChangeEntity(null, run.taskId(), run.status(), Instant.now(), message,
                run.attempts() > 0 ? run.attempts() : null));
    }

    /** A progress event for a log line. */
    public void progress(RunEntity run, long logSeq, String text, @Nullable BigDecimal costUsd) {
        publish(run, TaskEvent.Type.PROGRESS, text, costUsd, logSeq);
    }

    public void publish(RunEntity run, TaskEvent.Type type, String message, @Nullable BigDecimal costUsd, @Nullable Long logSeq) {
        TaskEvent e = new TaskEvent();
        e.setTaskId(run.taskId());
        e.setType(type);
        e.setAt(Instant.now().atOffset(ZoneOffset.UTC));
        e.setMessage(message == null ? "" : truncate(message, 2000));
        if (costUsd != null) {
            e.setCostUsd(costUsd.max(BigDecimal.ZERO).doubleValue());
        }
        if (run.correlationId() != null && !run.correlationId().isEmpty()) {
            e.setCorrelationId(run.correlationId());
        }
        try {
            e.setSourceVendor(TaskEvent.SourceVendor.fromValue(run.sourceVendor()));
        } catch (IllegalArgumentException unknown) {
            // not one of the contract's vendors: leave it out
        }
        if (run.attempts() > 0) {
            e.setAttempt((long) run.attempts());
        }
        if (logSeq != null) {
            e.setLogSeq(logSeq);
        }
        try {
            queue.publishEvent(codec.write(e)).whenComplete((id, ex) -> {
                if (ex != null) {
                    LOG.warn("Could not publish {} event for task {}: {}", type.value(), run.taskId(), ex.toString());
                }
            });
        } catch (RuntimeException ex) {
            LOG.warn("Could not publish {} event for task {}: {}", type.value(), run.taskId(), ex.toString());
        }
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
