package org.agentplatform.gateway.sentry;

import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import org.agentplatform.gateway.client.sentry.api.SentryApi;
import org.agentplatform.gateway.client.sentry.model.SentryException;
import org.agentplatform.gateway.client.sentry.model.SentryFrame;
import org.agentplatform.gateway.client.sentry.model.SentryIssue;
import org.agentplatform.gateway.config.SentrySettings;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.messages.SentrySource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.queue.Outbox;
import org.agentplatform.gateway.store.TaskRepository;
import org.agentplatform.gateway.store.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the stack trace to a Sentry triage task before it is queued. Sentry gives a webhook about
 * one second, so this runs after the answer: the task is stored with the webhook's own summary and
 * {@code enrich_state = pending} (the outbox leaves it alone), then sentry-service
 * {@code getSentryIssue} (generated client) is asked for the latest event; its exception type,
 * value and top frames (in-app first, capped) are appended to the input and the task is queued.
 *
 * <p>Transient failures (5xx, 429, timeouts, sentry-service down) are retried with backoff — by the
 * outbox relay, so also after a restart — up to {@code SENTRY_ENRICH_ATTEMPTS}; after that, or on a
 * permanent failure (404), the task is queued anyway with a note that the stack trace could not be
 * fetched. The task is never lost.
 */
@Singleton
public class SentryEnrichment {

    private static final Logger LOG = LoggerFactory.getLogger(SentryEnrichment.class);
    /** How long one attempt holds the enrichment before the relay may start another. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final SentryApi sentry;
    private final TaskRepository tasks;
    private final Outbox outbox;
    private final SentrySettings settings;
    private final JsonMapper json;

    public SentryEnrichment(SentryApi sentry, TaskRepository tasks, Outbox outbox, SentrySettings settings,
                            JsonMapper json) {
        this.sentry = sentry;
        this.tasks = tasks;
        this.outbox = outbox;
        this.settings = settings;
        this.json = json;
    }

    /** One attempt for a task, if its enrichment is due and nobody else is on it; enqueues it when finished. */
    public void attempt(String taskId) {
        Instant now = Instant.now();
        if (tasks.claimEnrichment(taskId, now, now.plus(LEASE)) == 0) {
            return;
        }
        TaskRow row = tasks.findById(taskId).orElse(null);
        if (row == null) {
            return;
        }
        try (var ignored = Correlation.scope(row.correlationId(), row.message().getTraceparent())) {
            if (attempt(row)) {
                outbox.enqueue(taskId);
            }
        }
    }

    /** @return true when the enrichment is finished (either way) and the task may be queued */
    private boolean attempt(TaskRow row) {
        TaskQueueMessage message = row.message();
        SentrySource source = message.getSource() == null ? null : message.getSource().getSentry();
        if (source == null || source.getIssueId() == null) {
            return giveUp(row, "the task names no Sentry issue");
        }
        try {
            SentryIssue issue = sentry.getSentryIssue(source.getIssueId(), row.correlationId());
            if (issue == null) {
                // a declarative client answers a 404 with no body instead of throwing
                return giveUp(row, "sentry-service does not know issue " + source.getIssueId() + " (404)");
            }
            message.setInputMessage(message.getInputMessage() + "\n\n" + describe(issue));
            finish(row, message, TaskRow.ENRICH_DONE, null);
            LOG.info("Task {}: added the latest event of Sentry issue {} (attempt {})", row.taskId(),
                    source.getIssueId(), row.enrichAttempts());
            return true;
        } catch (HttpClientResponseException e) {
            int code = e.code();
            boolean retryable = code >= 500 || code == 429 || code == 408;
            return failed(row, "sentry-service answered " + code, retryable);
        } catch (ConstraintViolationException e) {
            return giveUp(row, "not a valid Sentry issue id: " + e.getMessage());
        } catch (RuntimeException e) {
            return failed(row, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }

    private boolean failed(TaskRow row, String error, boolean retryable) {
        int attempts = row.enrichAttempts();   // read after the claim, so it counts this attempt
        if (retryable && attempts < settings.getEnrichAttempts()) {
            Duration backoff = settings.backoffAfter(attempts);
            tasks.retryEnrichment(row.taskId(), Instant.now().plus(backoff), error);
            LOG.warn("Stack trace for task {} not fetched (attempt {}/{}), retrying in {} ms: {}", row.taskId(),
                    attempts, settings.getEnrichAttempts(), backoff.toMillis(), error);
            return false;
        }
        return giveUp(row, error);
    }

    private boolean giveUp(TaskRow row, String error) {
        TaskQueueMessage message = row.message();
        message.setInputMessage(message.getInputMessage() + "\n\n(The stack trace could not be fetched from Sentry: "
                + error + ". Look at the issue in Sentry.)");
        finish(row, message, TaskRow.ENRICH_FAILED, error);
        LOG.warn("Task {}: queued without the stack trace after {} attempt(s): {}", row.taskId(),
                row.enrichAttempts(), error);
        return true;
    }

    private void finish(TaskRow row, TaskQueueMessage message, String state, String error) {
        try {
            tasks.finishEnrichment(row.taskId(), json.writeValueAsString(message), state,
                    error == null ? null : (error.length() > 1000 ? error.substring(0, 1000) : error));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The part of the task's input taken from the issue's latest event: each exception's type and
     * value, then its top frames — Sentry lists frames oldest call first, so the innermost (last)
     * ones come first here, in-app frames before library frames, capped in number and length.
     */
    public String describe(SentryIssue issue) {
        StringBuilder out = new StringBuilder("Latest event");
        if (issue.getLatestEvent() == null) {
            return out.append(": none available in Sentry.").toString();
        }
        if (issue.getLatestEvent().getEventId() != null) {
            out.append(" (").append(issue.getLatestEvent().getEventId()).append(')');
        }
        out.append(":\n");
        List<SentryException> exceptions = issue.getLatestEvent().getExceptions();
        if (exceptions == null || exceptions.isEmpty()) {
            String msg = issue.getLatestEvent().getMessage();
            out.append(msg == null || msg.isBlank() ? "(no exception and no message)" : msg).append('\n');
            return cap(out);
        }
        // Sentry orders chained exceptions oldest first: the last one is what was thrown
        for (int i = exceptions.size() - 1; i >= 0; i--) {
            SentryException ex = exceptions.get(i);
            out.append("Exception: ").append(ex.getType() == null ? "(unknown type)" : ex.getType());
            if (ex.getValue() != null && !ex.getValue().isBlank()) {
                out.append(": ").append(ex.getValue());
            }
            out.append('\n');
            for (SentryFrame frame : topFrames(ex.getFrames())) {
                out.append("  at ").append(frame.getFunction() == null ? "?" : frame.getFunction())
                        .append(" (").append(frame.getFilename() == null ? frame.getModule() : frame.getFilename());
                if (frame.getLineno() != null) {
                    out.append(':').append(frame.getLineno());
                }
                out.append(')');
                if (!Boolean.TRUE.equals(frame.getInApp())) {
                    out.append(" [library]");
                }
                out.append('\n');
                if (frame.getContextLine() != null && !frame.getContextLine().isBlank()) {
                    out.append("      ").append(frame.getContextLine().strip()).append('\n');
                }
            }
        }
        return cap(out);
    }

    private List<SentryFrame> topFrames(List<SentryFrame> frames) {
        List<SentryFrame> inApp = new ArrayList<>();
        List<SentryFrame> other = new ArrayList<>();
        if (frames != null) {
            for (int i = frames.size() - 1; i >= 0; i--) {
                (Boolean.TRUE.equals(frames.get(i).getInApp()) ? inApp : other).add(frames.get(i));
            }
        }
        List<SentryFrame> top = new ArrayList<>(inApp);
        top.addAll(other);
        return top.subList(0, Math.min(top.size(), settings.getMaxFrames()));
    }

    private String cap(StringBuilder out) {
        int max = settings.getMaxStackChars();
        String s = out.toString().stripTrailing();
        return s.length() <= max ? s : s.substring(0, max) + "\n  ... (cut)";
    }
}
