package org.agentplatform.agent.progress;

import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.agentplatform.agent.answer.AnswerPostException;
import org.agentplatform.agent.answer.Answers;
import org.agentplatform.agent.answer.ProgressMessenger;
import org.agentplatform.agent.config.AgentConfig;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One progress message per task, posted where the task came from when a run starts and edited in
 * place as it goes (see README, "Progress messages"). Its reference is stored in
 * {@code progress_messages}, so a retry or a redelivery edits the same message; creating it uses
 * {@code Idempotency-Key: task-<id>-progress}, so even a worker that died before storing the
 * reference gets the same message back from the vendor service. Progress is best effort: any
 * failure here is logged (with the task's correlation id) and never fails the task.
 */
@Singleton
public class ProgressMessages {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressMessages.class);
    static final String MDC_CORRELATION = "correlation_id";
    static final String MDC_TASK = "task_id";

    private final Map<String, ProgressMessenger> byVendor;
    private final ProgressMessageRepository repository;
    private final AgentConfig config;
    private final ScheduledExecutorService ticker;

    public ProgressMessages(List<ProgressMessenger> messengers, ProgressMessageRepository repository, AgentConfig config) {
        this.byVendor = messengers.stream().collect(Collectors.toMap(ProgressMessenger::vendor, Function.identity()));
        this.repository = repository;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.ticker = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "agent-progress-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void close() {
        ticker.shutdownNow();
    }

    /**
     * A run starts: posts the progress message (or reopens the task's existing one) and returns the
     * handle that edits it, throttled, as progress lines come. {@link TaskProgress#NONE} when the
     * source takes no progress message or it could not be posted.
     */
    public TaskProgress start(String taskId, String vendor, TaskQueueMessage message, int attempt) {
        ProgressMessenger messenger = messenger(vendor, message);
        if (messenger == null) {
            return TaskProgress.NONE;
        }
        String correlation = message.getCorrelationId();
        String text = Answers.progressBody(vendor, taskId, ProgressText.started(taskId, attempt));
        Optional<ProgressMessageEntity> existing = find(taskId);
        String ref = existing.map(ProgressMessageEntity::ref).orElse(null);
        try {
            if (ref != null) {
                messenger.editProgress(message, ref, text, correlation);
                repository.edited(taskId, text, ProgressMessageEntity.OPEN, Instant.now());
            } else {
                ref = messenger.createProgress(message, text, Answers.progressKey(taskId), correlation);
                repository.remember(taskId, vendor, ref, text, Instant.now());
            }
        } catch (AnswerPostException | RuntimeException e) {
            warn(taskId, correlation, ref == null ? "posted" : "reopened", e);
            if (ref == null) {
                return TaskProgress.NONE;
            }
        }
        TaskProgress progress = new TaskProgress(this, messenger, taskId, message, attempt, ref, text,
                Math.max(1, config.getProgressLines()));
        progress.schedule(ticker, config.progressInterval());
        return progress;
    }

    /**
     * Puts {@code text} on the task's progress message, if it has one and it does not say that
     * already. {@code last}: the final state (done, failed, cancelled).
     */
    public void finish(String taskId, String vendor, TaskQueueMessage message, String plainText, boolean last) {
        ProgressMessenger messenger = messenger(vendor, message);
        if (messenger == null) {
            return;
        }
        String text = Answers.progressBody(vendor, taskId, plainText);
        Optional<ProgressMessageEntity> stored = find(taskId);
        if (stored.isEmpty() || text.equals(stored.get().text())) {
            return;
        }
        edit(messenger, taskId, message, stored.get().ref(), text, last);
    }

    /** Closes a message left open (the run ended without a worker finishing it, e.g. it was cancelled while queued). */
    public void finishIfOpen(String taskId, String vendor, TaskQueueMessage message, String text) {
        Optional<ProgressMessageEntity> stored = find(taskId);
        if (stored.isPresent() && ProgressMessageEntity.OPEN.equals(stored.get().state())) {
            finish(taskId, vendor, message, text, true);
        }
    }

    /** Edits the message; true when the vendor service took it. */
    boolean edit(ProgressMessenger messenger, String taskId, TaskQueueMessage message, String ref, String text, boolean last) {
        try {
            messenger.editProgress(message, ref, text, message.getCorrelationId());
        } catch (AnswerPostException | RuntimeException e) {
            warn(taskId, message.getCorrelationId(), "edited", e);
            return false;
        }
        try {
            repository.edited(taskId, text, last ? ProgressMessageEntity.FINAL : ProgressMessageEntity.OPEN, Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Progress message of task {} edited but not recorded: {}", taskId, e.toString());
        }
        return true;
    }

    /** Runs {@code work} on the ticker thread with the task's MDC, so its log lines carry the correlation id. */
    static void withMdc(String taskId, @Nullable String correlationId, Runnable work) {
        if (correlationId != null) {
            MDC.put(MDC_CORRELATION, correlationId);
        }
        MDC.put(MDC_TASK, taskId);
        try {
            work.run();
        } finally {
            MDC.remove(MDC_CORRELATION);
            MDC.remove(MDC_TASK);
        }
    }

    private ProgressMessenger messenger(String vendor, TaskQueueMessage message) {
        ProgressMessenger m = vendor == null ? null : byVendor.get(vendor);
        return m != null && m.supportsProgress(message) ? m : null;
    }

    private Optional<ProgressMessageEntity> find(String taskId) {
        try {
            return repository.findById(taskId);
        } catch (RuntimeException e) {
            LOG.warn("Progress message of task {} could not be looked up: {}", taskId, e.toString());
            return Optional.empty();
        }
    }

    private static void warn(String taskId, @Nullable String correlationId, String what, Exception e) {
        LOG.warn("Progress message of task {} not {} (the task goes on without it) [correlation_id={}]: {}",
                taskId, what, correlationId, e.getMessage());
    }
}
