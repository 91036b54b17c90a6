package org.agentplatform.agent.run;

import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.data.model.jpa.criteria.PersistentEntityCriteriaBuilder;
import io.micronaut.data.repository.jpa.criteria.PredicateSpecification;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import jakarta.persistence.criteria.Predicate;
import org.agentplatform.agent.messages.TaskEvent;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.model.DeadLetter;
import org.agentplatform.agent.model.DeadLetterPage;
import org.agentplatform.agent.model.LogPage;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.model.RunsPage;
import org.agentplatform.agent.model.Stats;
import org.agentplatform.agent.queue.InvalidMessageException;
import org.agentplatform.agent.queue.TaskMessageCodec;
import org.agentplatform.agent.queue.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agent API's use cases over the runs table and the queue. */
@Singleton
public class RunService {
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final RunRepository runs;
    private final StatusHistoryRepository history;
    private final RunLogRepository logs;
    private final RunJournal journal;
    private final RunMapper mapper;
    private final TaskQueue queue;
    private final TaskMessageCodec codec;

    public RunService(RunRepository runs, StatusHistoryRepository history, RunLogRepository logs, RunJournal journal,
                      RunMapper mapper, TaskQueue queue, TaskMessageCodec codec) {
        this.runs = runs;
        this.history = history;
        this.logs = logs;
        this.journal = journal;
        this.mapper = mapper;
        this.queue = queue;
        this.codec = codec;
    }

    public RunsPage list(String status, String source, OffsetDateTime since, OffsetDateTime until, String q, int page, int size) {
        PredicateSpecification<RunEntity> spec = (root, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (status != null) {
                where.add(cb.equal(root.get("status"), status));
            }
            if (source != null) {
                where.add(cb.equal(root.get("sourceVendor"), source));
            }
            if (since != null) {
                where.add(cb.greaterThanOrEqualTo(root.<Instant>get("createdAt"), since.toInstant()));
            }
            if (until != null) {
                where.add(cb.lessThan(root.<Instant>get("createdAt"), until.toInstant()));
            }
            if (q != null) {
                PersistentEntityCriteriaBuilder pcb = (PersistentEntityCriteriaBuilder) cb;
                where.add(cb.or(pcb.containsStringIgnoreCase(root.get("inputMessage"), cb.literal(q)),
                        pcb.containsStringIgnoreCase(root.get("result"), cb.literal(q))));
            }
            return where.isEmpty() ? null : cb.and(where.toArray(Predicate[]::new));   // null: no WHERE at all
        };
        Page<RunEntity> found = runs.findAll(spec, Pageable.from(page, size, Sort.of(Sort.Order.desc("createdAt"))));
        return new RunsPage(found.getContent().stream().map(e -> mapper.toRun(e, null)).toList(), page, size,
                found.getTotalSize());
    }

    public Run get(String taskId) {
        RunEntity run = runs.findById(taskId).orElseThrow(() -> notFound(taskId));
        return mapper.toRun(run, history.findByTaskIdOrderById(taskId));
    }

    public LogPage logs(String taskId, long offset, int limit) {
        RunEntity run = runs.findById(taskId).orElseThrow(() -> notFound(taskId));
        var lines = logs.page(taskId, offset, limit + 1);
        boolean more = lines.size() > limit;
        if (more) {
            lines = lines.subList(0, limit);
        }
        long next = lines.isEmpty() ? offset : lines.get(lines.size() - 1).seq() + 1;
        boolean settled = run.finished() && !RunStatus.ANSWER_PENDING.equals(run.answerState());
        return new LogPage(taskId, offset, next, settled && !more, lines.stream().map(mapper::toLine).toList());
    }

    /**
     * queued → cancelled at once (its entry is acknowledged when a worker sees it); running →
     * cancel requested, the worker holding it (in any process) stops the runner within
     * AGENT_CANCEL_POLL_MS; finished → 409.
     */
    @Transactional
    public Run cancel(String taskId) {
        RunEntity run = runs.findForUpdate(taskId).orElseThrow(() -> notFound(taskId));
        Instant now = Instant.now();
        switch (run.status()) {
            case RunStatus.QUEUED -> {
                runs.cancelQueued(taskId, now);
                journal.changed(reload(taskId), RunStatus.CANCELLED, TaskEvent.Type.CANCELLED, "cancelled through the API", null);
                LOG.info("Task {} cancelled while queued", taskId);
            }
            case RunStatus.RUNNING -> {
                if (!run.cancelRequested()) {
                    runs.requestCancel(taskId, now);
                    journal.note(run, "cancel requested through the API");
                    LOG.info("Task {}: cancel requested; the worker holding it stops the runner", taskId);
                }
            }
            default -> throw RunException.conflict("The task already finished (" + run.status() + ")");
        }
        return get(taskId);
    }

    /** failed, cancelled or dead-lettered → queued again: a new entry on its priority stream. */
    @Transactional
    public Run retry(String taskId) {
        RunEntity run = runs.findForUpdate(taskId).orElseThrow(() -> notFound(taskId));
        if (!RunStatus.RETRYABLE.contains(run.status())) {
            throw RunException.conflict("Only failed, cancelled or dead-lettered runs can be retried; this one is " + run.status());
        }
        String ref = queue.enqueue(run.messageJson(), run.priority());
        runs.requeue(taskId, ref, false, Instant.now());
        if (RunStatus.DEAD_LETTERED.equals(run.status())) {
            queue.deleteDeadLetters(deadLetterIds(taskId));
        }
        journal.changed(reload(taskId), RunStatus.QUEUED, TaskEvent.Type.QUEUED, "retried through the API (" + ref + ")", null);
        LOG.info("Task {} retried through the API as {}", taskId, ref);
        return get(taskId);
    }

    /** Back onto the queue from agent:tasks:dead; its attempts start again. */
    @Transactional
    public Run requeueDeadLetter(String taskId) {
        List<TaskQueue.DeadEntry> letters = deadLetters(taskId);
        if (letters.isEmpty()) {
            throw RunException.notFound("No dead letter for task " + taskId);
        }
        String message = letters.get(letters.size() - 1).fields().get("message");
        TaskQueueMessage msg;
        try {
            msg = codec.parse(message);
        } catch (InvalidMessageException e) {
            throw RunException.invalid("task_id", "its dead-lettered message cannot be run again: " + e.getMessage());
        }
        Instant now = Instant.now();
        Optional<RunEntity> run = runs.findForUpdate(taskId);
        List<String> ids = letters.stream().map(TaskQueue.DeadEntry::id).toList();
        if (run.isPresent() && !RunStatus.RETRYABLE.contains(run.get().status())) {
            // already back in play (retried, or redelivered): the dead letter is stale
            queue.deleteDeadLetters(ids);
            return get(taskId);
        }
        long priority = msg.getPriority() == null ? 0 : msg.getPriority();
        String ref = queue.enqueue(message, priority);
        if (run.isPresent()) {
            runs.requeue(taskId, ref, true, now);
        } else {
            String vendor = msg.getSource() == null || msg.getSource().getVendor() == null ? "api" : msg.getSource().getVendor().value();
            runs.insertIfAbsent(taskId, vendor, msg.getSource() == null ? null : codec.writeSource(msg.getSource()), message,
                    msg.getSessionId(), msg.getUserId(), msg.getInputMessage(), msg.getModel(), msg.getAgentType(),
                    (int) Math.min(Integer.MAX_VALUE, Math.max(0, priority)), msg.getCorrelationId(),
                    msg.getCreatedAt() == null ? now : msg.getCreatedAt().toInstant(), ref, now);
        }
        queue.deleteDeadLetters(ids);
        journal.changed(reload(taskId), RunStatus.QUEUED, TaskEvent.Type.QUEUED, "requeued from the dead letters (" + ref + ")", null);
        LOG.info("Task {} requeued from the dead letters as {}", taskId, ref);
        return get(taskId);
    }

    public Stats stats() {
        TaskQueue.QueueStats q = queue.stats(Duration.ofMinutes(1));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (RunRepository.StatusCount c : runs.countByStatus()) {
            byStatus.put(c.status(), c.count());
        }
        BigDecimal total = runs.totalCost();
        Stats s = new Stats(q.depth(), q.deadLetters(), byStatus, total == null ? BigDecimal.ZERO : total.stripTrailingZeros());
        s.setInFlight(q.inFlight());
        s.setWorkers(q.activeConsumers());
        return s;
    }

    public DeadLetterPage deadLetterPage(int page, int size) {
        List<DeadLetter> items = new ArrayList<>();
        for (TaskQueue.DeadEntry d : queue.deadLetters(page, size)) {
            Map<String, Object> m = codec.readLenient(d.fields().get("message"));
            String taskId = m.get("task_id") instanceof String s ? s : "(unknown)";
            DeadLetter dl = new DeadLetter(taskId, d.fields().getOrDefault("reason", ""), intOf(d.fields().get("attempts")),
                    time(d.fields().get("failed_at"), d.id()));
            if (m.get("input_message") instanceof String in) {
                dl.setInputMessage(in);
            }
            if (m.get("source") instanceof Map<?, ?> src && src.get("vendor") instanceof String v) {
                dl.setSourceVendor(v);
            }
            items.add(dl);
        }
        return new DeadLetterPage(items, page, size, queue.deadLetterCount());
    }

    private List<TaskQueue.DeadEntry> deadLetters(String taskId) {
        return queue.allDeadLetters().stream()
                .filter(d -> taskId.equals(codec.readLenient(d.fields().get("message")).get("task_id")))
                .toList();
    }

    private List<String> deadLetterIds(String taskId) {
        return deadLetters(taskId).stream().map(TaskQueue.DeadEntry::id).toList();
    }

    private RunEntity reload(String taskId) {
        return runs.findById(taskId).orElseThrow(() -> notFound(taskId));
    }

    private static RunException notFound(String taskId) {
        return RunException.notFound("No run for task " + taskId);
    }

    private static int intOf(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static OffsetDateTime time(String iso, String entryId) {
        try {
            if (iso != null) {
                return OffsetDateTime.parse(iso);
            }
        } catch (DateTimeParseException ignored) {
            // fall back on the entry id's milliseconds
        }
        long ms = Long.parseLong(entryId.substring(0, entryId.indexOf('-')));
        return Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC);
    }
}
