package org.agentplatform.agent.worker;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.agentplatform.agent.answer.AnswerPostException;
import org.agentplatform.agent.answer.AnswerPoster;
import org.agentplatform.agent.answer.AnswerPosters;
import org.agentplatform.agent.answer.AnswerRequest;
import org.agentplatform.agent.answer.Answers;
import org.agentplatform.agent.answer.PostResult;
import org.agentplatform.agent.config.AgentConfig;
import org.agentplatform.agent.messages.TaskEvent;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.ops.AgentMetrics;
import org.agentplatform.agent.progress.ProgressMessages;
import org.agentplatform.agent.progress.ProgressText;
import org.agentplatform.agent.progress.TaskProgress;
import org.agentplatform.agent.queue.InvalidMessageException;
import org.agentplatform.agent.queue.QueueEntry;
import org.agentplatform.agent.queue.TaskMessageCodec;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunJournal;
import org.agentplatform.agent.run.RunLogRepository;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.run.RunStatus;
import org.agentplatform.agent.runner.AgentRunner;
import org.agentplatform.agent.runner.RunControl;
import org.agentplatform.agent.runner.RunControl.StopReason;
import org.agentplatform.agent.runner.RunRequest;
import org.agentplatform.agent.runner.RunnerException;
import org.agentplatform.agent.runner.RunnerResult;
import org.agentplatform.agent.runner.Runners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Processes one queue entry, idempotently on task_id. The runs table decides what an entry
 * means:
 * <ul>
 *   <li>the run's {@code current_entry} names the one entry that may drive it; another entry for
 *       the same task is a duplicate while that one is alive (acknowledged and dropped), and takes
 *       over when it is gone;</li>
 *   <li>a finished run is only acknowledged, except a succeeded run whose answer was not posted
 *       yet: that answer is posted (same idempotency key), nothing is run again;</li>
 *   <li>otherwise a new attempt starts (counted in the DB), unless the attempts are used up:
 *       then the entry is dead-lettered.</li>
 * </ul>
 * An entry is acknowledged only once its outcome is stored (and the answer posted, or given up);
 * anything that throws leaves it pending, to be redelivered after the visibility timeout.
 */
@Singleton
public class TaskProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskProcessor.class);
    static final String MDC_CORRELATION = "correlation_id";
    static final String MDC_TASK = "task_id";

    private final AgentConfig config;
    private final TaskMessageCodec codec;
    private final TaskQueue queue;
    private final RunRepository runs;
    private final RunLogRepository logs;
    private final RunJournal journal;
    private final Runners runners;
    private final AnswerPosters posters;
    private final AgentMetrics metrics;
    private final ProgressMessages progress;
    private final ScheduledExecutorService monitor;

    public TaskProcessor(AgentConfig config, TaskMessageCodec codec, TaskQueue queue, RunRepository runs,
                         RunLogRepository logs, RunJournal journal, Runners runners, AnswerPosters posters,
                         AgentMetrics metrics, ProgressMessages progress) {
        this.config = config;
        this.codec = codec;
        this.queue = queue;
        this.runs = runs;
        this.logs = logs;
        this.journal = journal;
        this.runners = runners;
        this.posters = posters;
        this.metrics = metrics;
        this.progress = progress;
        AtomicInteger n = new AtomicInteger();
        this.monitor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "agent-run-monitor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void close() {
        monitor.shutdownNow();
    }

    /** Handles one entry the worker holds. Correlation id and task id are in the MDC meanwhile. */
    public void process(Lease lease) {
        QueueEntry entry = lease.entry();
        String raw = entry.message();
        if (raw == null) {
            LOG.warn("Entry {} has no '{}' field (deleted or foreign): acknowledging it", entry.ref(), QueueEntry.MESSAGE_FIELD);
            queue.ack(entry);
            return;
        }
        TaskQueueMessage msg;
        try {
            msg = codec.parse(raw);
        } catch (InvalidMessageException e) {
            LOG.warn("Entry {} is not a valid TaskQueueMessage ({}): dead-lettered", entry.ref(), e.getMessage());
            queue.deadLetter(entry, raw, "invalid message: " + e.getMessage(), 0, Instant.now());
            metrics.outcome("invalid");
            return;
        }
        if (msg.getCorrelationId() != null) {
            MDC.put(MDC_CORRELATION, msg.getCorrelationId());
        }
        MDC.put(MDC_TASK, msg.getTaskId());
        Span span = TraceContext.taskSpan(msg.getTraceparent(), msg.getTaskId());
        String traceparent = TraceContext.of(span, msg.getTraceparent());
        if (traceparent != null) {
            MDC.put(TraceContext.MDC_TRACE_ID, TraceContext.traceId(traceparent));
            MDC.put(TraceContext.MDC_TRACEPARENT, traceparent);
        }
        try (Scope ignored = span.makeCurrent()) {
            handle(lease, msg, raw, 0);
        } finally {
            span.end();
            MDC.remove(MDC_CORRELATION);
            MDC.remove(MDC_TASK);
            MDC.remove(TraceContext.MDC_TRACE_ID);
            MDC.remove(TraceContext.MDC_TRACEPARENT);
        }
    }

    private void handle(Lease lease, TaskQueueMessage msg, String raw, int depth) {
        QueueEntry entry = lease.entry();
        String taskId = msg.getTaskId();
        RunEntity run = ensureRun(entry, msg, raw);
        boolean driving = entry.ref().equals(run.currentEntry());
        if (!driving) {
            Optional<RunEntity> adopted = adopt(entry, run);
            if (adopted.isEmpty()) {
                return;
            }
            run = adopted.get();
        }
        switch (run.status()) {
            case RunStatus.SUCCEEDED -> {
                if (RunStatus.ANSWER_PENDING.equals(run.answerState())) {
                    LOG.info("Task {} succeeded earlier but its answer is not posted yet: posting it now", taskId);
                    postAnswer(lease, run, msg, raw);
                } else {
                    LOG.info("Task {} already succeeded (answer {}): acknowledging redelivered entry {}",
                            taskId, run.answerState(), entry.ref());
                    queue.ack(entry);
                }
            }
            case RunStatus.DEAD_LETTERED -> {
                progress.finishIfOpen(taskId, run.sourceVendor(), msg, ProgressText.failed(taskId,
                        run.error() == null ? "dead-lettered" : run.error()));
                if (driving) {
                    // the entry that was being dead-lettered is back: the step was cut short after the DB update
                    LOG.info("Task {} is dead-lettered: moving its entry {} to agent:tasks:dead", taskId, entry.ref());
                    queue.deadLetter(entry, raw, run.error() == null ? "dead-lettered" : run.error(), run.roundAttempts(), Instant.now());
                } else {
                    LOG.info("Task {} is dead-lettered: acknowledging entry {}", taskId, entry.ref());
                    queue.ack(entry);
                }
            }
            case RunStatus.FAILED, RunStatus.CANCELLED -> {
                // e.g. cancelled through the API while waiting for a retry: the message still says "trying again"
                progress.finishIfOpen(taskId, run.sourceVendor(), msg, RunStatus.CANCELLED.equals(run.status())
                        ? ProgressText.cancelled(taskId) : ProgressText.failed(taskId, run.error()));
                LOG.info("Task {} is {}: acknowledging entry {}", taskId, run.status(), entry.ref());
                queue.ack(entry);
            }
            default -> startAttempt(lease, run, msg, raw, depth);
        }
    }

    /**
     * The run of this task, created (queued, with its history row) on first sight with this entry
     * driving it: one statement for a new task; a known task (redelivery, retry, duplicate) is read
     * after it.
     */
    private RunEntity ensureRun(QueueEntry entry, TaskQueueMessage msg, String raw) {
        String vendor = msg.getSource() == null || msg.getSource().getVendor() == null
                ? "api" : msg.getSource().getVendor().value();
        Instant now = Instant.now();
        String queued = "queued (" + entry.stream() + ")";
        RunEntity created = runs.createQueued(msg.getTaskId(), vendor,
                msg.getSource() == null ? null : codec.writeSource(msg.getSource()), raw, msg.getSessionId(),
                msg.getUserId(), msg.getInputMessage(), msg.getModel(), msg.getAgentType(),
                (int) Math.max(0, Math.min(Integer.MAX_VALUE, msg.getPriority() == null ? 0 : msg.getPriority())),
                msg.getCorrelationId(), msg.getCreatedAt() == null ? now : msg.getCreatedAt().toInstant(), entry.ref(), now,
                queued);
        if (created == null) {
            return runs.findById(msg.getTaskId()).orElseThrow();
        }
        journal.publish(created, TaskEvent.Type.QUEUED, queued, null, null);
        LOG.info("Task {} received from {} (source {}, trace {})", msg.getTaskId(), entry.ref(), vendor,
                MDC.get(TraceContext.MDC_TRACE_ID) == null ? "none" : MDC.get(TraceContext.MDC_TRACE_ID));
        return created;
    }

    /**
     * Another entry drives this run. While it is alive this one is a duplicate: acknowledge and
     * drop it. When it is gone (acknowledged, or its holder's attempt ended without one), this
     * entry takes over.
     */
    private Optional<RunEntity> adopt(QueueEntry entry, RunEntity run) {
        for (int i = 0; i < 3; i++) {
            if (entry.ref().equals(run.currentEntry())) {
                return Optional.of(run);
            }
            if (run.currentEntry() != null && queue.isAlive(run.currentEntry())) {
                LOG.info("Entry {} duplicates {} which drives task {}: acknowledging it", entry.ref(), run.currentEntry(), run.taskId());
                queue.ack(entry);
                return Optional.empty();
            }
            runs.adoptEntry(run.taskId(), run.currentEntry(), entry.ref(), Instant.now());
            run = runs.findById(run.taskId()).orElseThrow();
        }
        if (entry.ref().equals(run.currentEntry())) {
            return Optional.of(run);
        }
        queue.ack(entry);
        return Optional.empty();
    }

    private void startAttempt(Lease lease, RunEntity run, TaskQueueMessage msg, String raw, int depth) {
        QueueEntry entry = lease.entry();
        if (run.cancelRequested()) {
            cancelOnSight(entry, run, msg);
            return;
        }
        if (lease.abandoned()) {
            return;
        }
        if (run.roundAttempts() >= config.getMaxAttempts()) {
            String reason = "gave up after " + run.roundAttempts() + " attempts: "
                    + (RunStatus.RUNNING.equals(run.status()) || run.error() == null
                    ? "the worker running it stopped without finishing" : run.error());
            deadLetter(entry, run, msg, raw, reason, BigDecimal.ZERO);
            return;
        }
        AgentRunner runner = runners.selected();
        Instant now = Instant.now();
        RunEntity claimed = runs.claimForStart(run.taskId(), entry.ref(), lease.consumer(), runner.name(), now,
                startedMessage(runner, "{attempt}"));
        if (claimed == null) {
            // the API cancelled or requeued it meanwhile: look again (once)
            if (depth == 0) {
                handle(lease, msg, raw, 1);
            } else {
                LOG.info("Task {} changed while starting; acknowledging {}", run.taskId(), entry.ref());
                queue.ack(entry);
            }
            return;
        }
        execute(lease, claimed, msg, raw, runner);
    }

    /** The history text and event message of a start; {@code attempt} is its number (or the placeholder the claim fills in). */
    private static String startedMessage(AgentRunner runner, String attempt) {
        return "runner " + runner.name() + " started (attempt " + attempt + ")";
    }

    private void cancelOnSight(QueueEntry entry, RunEntity run, TaskQueueMessage msg) {
        if (runs.markCancelled(run.taskId(), Instant.now()) > 0) {
            journal.changed(runs.findById(run.taskId()).orElseThrow(), RunStatus.CANCELLED, TaskEvent.Type.CANCELLED,
                    "cancelled before it ran again", null);
            metrics.outcome("cancelled");
        }
        progress.finish(run.taskId(), run.sourceVendor(), msg, ProgressText.cancelled(run.taskId()), true);
        queue.ack(entry);
    }

    private void execute(Lease lease, RunEntity run, TaskQueueMessage msg, String raw, AgentRunner runner) {
        QueueEntry entry = lease.entry();
        String taskId = run.taskId();
        Duration timeout = Duration.ofSeconds(msg.getTimeoutSeconds() != null && msg.getTimeoutSeconds() > 0
                ? msg.getTimeoutSeconds() : config.getDefaultTimeoutSeconds());
        BigDecimal cap = msg.getMaxCostUsd() != null ? BigDecimal.valueOf(msg.getMaxCostUsd()) : config.getDefaultMaxCostUsd();
        RunControl control = new RunControl();
        // the history row was written with the claim
        journal.publish(run, TaskEvent.Type.STARTED, startedMessage(runner, Integer.toString(run.attempts())), null, null);
        // best effort: posted (or reopened) before the runner starts, never fails the task
        TaskProgress taskProgress = progress.start(taskId, run.sourceVendor(), msg, run.attempts());
        RunLog log = new RunLog(run, logs, journal, cost -> {
            if (cap != null && cost.signum() > 0 && cost.compareTo(cap) >= 0) {
                control.stop(StopReason.COST_CAP);
            }
        }, taskProgress::line);
        log.system("attempt " + run.attempts() + " (" + run.roundAttempts() + "/" + config.getMaxAttempts()
                + "): runner " + runner.name() + ", timeout " + timeout.toSeconds() + " s"
                + (cap == null ? "" : ", cost cap $" + cap.toPlainString()));

        lease.attach(control);
        ScheduledFuture<?> deadline = monitor.schedule(() -> control.stop(StopReason.TIMEOUT), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> cancelPoll = monitor.scheduleWithFixedDelay(() -> pollCancel(taskId, control),
                config.getCancelPollMs(), config.getCancelPollMs(), TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        RunnerResult result = null;
        RunnerException failure = null;
        try {
            result = runner.run(new RunRequest(taskId, msg.getInputMessage(), msg.getModel(), msg.getCorrelationId(),
                    timeout, cap, run.attempts(), msg), control, log);
        } catch (RunnerException e) {
            failure = e;
        } catch (RuntimeException e) {
            LOG.error("Runner {} crashed on task {}", runner.name(), taskId, e);
            failure = new RunnerException("runner error: " + e, true, log.cost());
        } finally {
            deadline.cancel(false);
            cancelPoll.cancel(false);
            lease.detach();
            // no more edits of this attempt: what follows (answer, final text) is written after it
            taskProgress.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        long ms = took.toMillis();
        BigDecimal cost = result != null ? result.costUsd() : failure.costUsd().max(log.cost());
        metrics.cost(runner.name(), cost);
        StopReason stop = control.reason();
        Instant now = Instant.now();

        if (stop == StopReason.LEASE_LOST) {
            LOG.warn("Task {}: entry {} was taken over by another worker; this attempt is abandoned", taskId, entry.ref());
            metrics.attempt(runner.name(), "abandoned", took);
            return;
        }
        if (stop == StopReason.SHUTDOWN) {
            if (runs.handBack(taskId, lease.consumer(), now) > 0) {
                journal.changed(reload(taskId), RunStatus.QUEUED, TaskEvent.Type.QUEUED,
                        "interrupted by shutdown; handed back for redelivery", cost);
            }
            LOG.info("Task {}: handed back at shutdown (entry {} stays pending and is redelivered)", taskId, entry.ref());
            metrics.attempt(runner.name(), "handed_back", took);
            return;
        }
        if (stop != null) {
            String status = stop == StopReason.CANCELLED ? RunStatus.CANCELLED : RunStatus.FAILED;
            String why = switch (stop) {
                case CANCELLED -> "cancelled";
                case TIMEOUT -> "timed out after " + timeout.toSeconds() + " s";
                default -> "cost cap of $" + cap.toPlainString() + " reached ($" + cost.toPlainString() + " spent)";
            };
            log.system("stopped: " + why);
            RunEntity stopped = runs.markFinished(taskId, lease.consumer(), status, why, cost, ms, now, why);
            if (stopped != null) {
                journal.publish(stopped, stop == StopReason.CANCELLED ? TaskEvent.Type.CANCELLED : TaskEvent.Type.FAILED,
                        why, cost, null);
            }
            progress.finish(taskId, run.sourceVendor(), msg, stop == StopReason.CANCELLED
                    ? ProgressText.cancelled(taskId) : ProgressText.failed(taskId, why), true);
            queue.ack(entry);
            metrics.attempt(runner.name(), stop == StopReason.CANCELLED ? "cancelled"
                    : stop == StopReason.TIMEOUT ? "timeout" : "cost_cap", took);
            return;
        }
        if (failure != null) {
            failed(lease, run, msg, raw, failure, cost, ms, runner, took);
            return;
        }
        // result and history row in one statement; the event follows once the answer is posted
        RunEntity done = runs.markSucceeded(taskId, lease.consumer(), result.text(), cost, ms, RunStatus.ANSWER_PENDING, now,
                "runner " + runner.name() + " finished in " + ms + " ms");
        if (done == null) {
            LOG.warn("Task {}: the run changed hands while it ran; its result is dropped", taskId);
            metrics.attempt(runner.name(), "abandoned", took);
            return;
        }
        metrics.attempt(runner.name(), "succeeded", took);
        log.system("runner finished in " + ms + " ms, cost $" + cost.toPlainString());
        postAnswer(lease, done, msg, raw);
    }

    private void failed(Lease lease, RunEntity run, TaskQueueMessage msg, String raw, RunnerException failure,
                        BigDecimal cost, long ms, AgentRunner runner, Duration took) {
        String taskId = run.taskId();
        Instant now = Instant.now();
        String error = failure.getMessage();
        RunLog log = new RunLog(run, logs, journal, c -> { });
        log.system("attempt " + run.attempts() + " failed: " + error);
        if (!failure.retryable()) {
            RunEntity failedRun = runs.markFinished(taskId, lease.consumer(), RunStatus.FAILED, error, cost, ms, now, error);
            if (failedRun != null) {
                journal.publish(failedRun, TaskEvent.Type.FAILED, error, cost, null);
            }
            progress.finish(taskId, run.sourceVendor(), msg, ProgressText.failed(taskId, error), true);
            queue.ack(lease.entry());
            metrics.attempt(runner.name(), "failed", took);
            return;
        }
        if (run.roundAttempts() >= config.getMaxAttempts()) {
            metrics.attempt(runner.name(), "failed", took);
            deadLetter(lease.entry(), run, msg, raw, "runner failed " + run.roundAttempts() + " times: " + error, cost);
            return;
        }
        long backoff = backoffMs(run.roundAttempts());
        String retry = "attempt " + run.attempts() + " failed (" + error + "); retry " + (run.roundAttempts() + 1) + "/"
                + config.getMaxAttempts() + " in " + backoff + " ms";
        RunEntity waiting = runs.markRetrying(taskId, lease.consumer(), error, cost, now.plusMillis(backoff), now, retry);
        if (waiting != null) {
            journal.publish(waiting, TaskEvent.Type.QUEUED, retry, cost, null);
        }
        progress.finish(taskId, run.sourceVendor(), msg, ProgressText.retrying(taskId, run.attempts(), error), false);
        queue.ack(lease.entry());
        metrics.attempt(runner.name(), "retrying", took);
    }

    /** Exponential backoff with jitter: base × 2^(n-1), at most the configured maximum. */
    long backoffMs(int failedAttempts) {
        long base = Math.max(1, config.getRetryBackoffMs());
        long exp = base << Math.min(20, Math.max(0, failedAttempts - 1));
        long capped = Math.min(exp, Math.max(base, config.getRetryBackoffMaxMs()));
        return capped + ThreadLocalRandom.current().nextLong(Math.max(1, capped / 4));
    }

    private void deadLetter(QueueEntry entry, RunEntity run, TaskQueueMessage msg, String raw, String reason, BigDecimal cost) {
        Instant now = Instant.now();
        runs.markDeadLettered(run.taskId(), entry.ref(), reason, cost, now);
        queue.deadLetter(entry, raw, reason, run.roundAttempts(), now);
        journal.changed(reload(run.taskId()), RunStatus.DEAD_LETTERED, TaskEvent.Type.DEAD_LETTERED, reason, null);
        LOG.warn("Task {} dead-lettered: {}", run.taskId(), reason);
        progress.finish(run.taskId(), run.sourceVendor(), msg, ProgressText.failed(run.taskId(), reason), true);
        metrics.outcome("dead_lettered");
    }

    private void pollCancel(String taskId, RunControl control) {
        try {
            if (runs.findCancelRequested(taskId).orElse(false)) {
                control.stop(StopReason.CANCELLED);
            }
        } catch (RuntimeException e) {
            LOG.debug("cancel poll for {} failed: {}", taskId, e.toString());
        }
    }

    /**
     * Posts the answer of a succeeded run through the poster of its source vendor, with backoff.
     * The entry is acknowledged once posted (or once posting is pointless); if the vendor service
     * stays unreachable the entry is left pending and redelivered, and after AGENT_MAX_ATTEMPTS
     * such deliveries the task is dead-lettered.
     */
    private void postAnswer(Lease lease, RunEntity run, TaskQueueMessage msg, String raw) {
        QueueEntry entry = lease.entry();
        String taskId = run.taskId();
        RunLog log = new RunLog(run, logs, journal, c -> { });
        Optional<AnswerPoster> poster = posters.forVendor(run.sourceVendor());
        if (poster.isEmpty()) {
            RunEntity stored = runs.markAnswerState(taskId, RunStatus.ANSWER_STORED, null, 0, Instant.now());
            String note = "no answer poster for source " + run.sourceVendor() + " yet: the result is stored";
            log.system(note);
            journal.publish(orReload(stored, taskId), TaskEvent.Type.SUCCEEDED, "succeeded; " + note, run.costUsd(), null);
            queue.ack(entry);
            return;
        }
        AnswerRequest request = new AnswerRequest(taskId, msg, Answers.body(poster.get().vendor(), taskId, run.result(),
                poster.get().maxBodyChars()),
                Answers.idempotencyKey(taskId), msg.getCorrelationId());
        String lastError = null;
        long delay = Math.max(1, config.getAnswerPostBackoffMs());
        for (int i = 1; i <= Math.max(1, config.getAnswerPostAttempts()); i++) {
            if (lease.abandoned()) {
                return;
            }
            try {
                PostResult r = poster.get().post(request);
                Instant now = Instant.now();
                if (r.posted()) {
                    log.system("answer posted: " + r.description());
                    RunEntity posted = runs.markAnswerPosted(taskId, r.reference(), now);
                    journal.publish(orReload(posted, taskId), TaskEvent.Type.SUCCEEDED, "answer posted: " + r.description(),
                            run.costUsd(), null);
                    // after the answer: people are notified by the answer, the progress message only says where it is
                    progress.finish(taskId, run.sourceVendor(), msg, ProgressText.done(taskId,
                            Duration.ofMillis(run.durationMs() == null ? 0 : run.durationMs())), true);
                } else {
                    log.system(r.description());
                    RunEntity stored = runs.markAnswerState(taskId, RunStatus.ANSWER_STORED, null, 1, now);
                    journal.publish(orReload(stored, taskId), TaskEvent.Type.SUCCEEDED, "succeeded; " + r.description(),
                            run.costUsd(), null);
                }
                queue.ack(entry);
                metrics.outcome("answered");
                return;
            } catch (AnswerPostException e) {
                lastError = e.getMessage();
                if (!e.retryable()) {
                    RunEntity failedAnswer = runs.markAnswerState(taskId, RunStatus.ANSWER_FAILED,
                            "answer not posted: " + lastError, 1, Instant.now());
                    log.system("answer not posted (not retryable): " + lastError);
                    journal.publish(orReload(failedAnswer, taskId), TaskEvent.Type.SUCCEEDED,
                            "succeeded, but the answer could not be posted: " + lastError, run.costUsd(), null);
                    progress.finish(taskId, run.sourceVendor(), msg,
                            ProgressText.failed(taskId, "the answer could not be posted: " + lastError), true);
                    queue.ack(entry);
                    metrics.outcome("answer_failed");
                    return;
                }
                LOG.warn("Posting the answer of task {} failed (try {}/{}): {}", taskId, i, config.getAnswerPostAttempts(), lastError);
                if (i < config.getAnswerPostAttempts()) {
                    try {
                        if (!lease.sleep(delay)) {
                            return;
                        }
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    delay = Math.min(delay * 2, 30_000);
                }
            }
        }
        int rounds = run.answerRounds() + 1;
        if (rounds >= config.getMaxAttempts()) {
            deadLetter(entry, run, msg, raw, "answer could not be posted in " + rounds + " deliveries: " + lastError, BigDecimal.ZERO);
            return;
        }
        runs.markAnswerState(taskId, RunStatus.ANSWER_PENDING, "answer not posted yet: " + lastError, 1, Instant.now());
        log.system("answer not posted yet (" + lastError + "); the entry stays unacknowledged and is redelivered after "
                + config.getVisibilityTimeoutSeconds() + " s");
        // no ack: the lease is released, the heartbeat stops, the entry goes idle and is taken over
    }

    private RunEntity reload(String taskId) {
        return runs.findById(taskId).orElseThrow();
    }

    /** The row a conditional update returned, or (it matched nothing: the run moved on) the row as it is now. */
    private RunEntity orReload(RunEntity updated, String taskId) {
        return updated != null ? updated : reload(taskId);
    }
}
