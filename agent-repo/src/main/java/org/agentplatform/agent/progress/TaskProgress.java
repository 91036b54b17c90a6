package org.agentplatform.agent.progress;

import org.agentplatform.agent.answer.Answers;
import org.agentplatform.agent.answer.ProgressMessenger;
import org.agentplatform.agent.messages.TaskQueueMessage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The progress message of one running attempt. Runners report lines from their own threads
 * ({@link #line}); a ticker edits the message at most once per interval, and only when new lines
 * came since the last edit, so a chatty runner causes no edit storm. {@link #close} stops it and
 * waits for an edit in flight, so the final text that follows is never overwritten.
 */
public class TaskProgress implements AutoCloseable {
    /** No progress message: lines are dropped. */
    public static final TaskProgress NONE = new TaskProgress();
    /** After this many failed edits in a row the message is left alone (deleted, or the service is down). */
    static final int MAX_FAILURES_IN_ROW = 3;

    private final ProgressMessages owner;
    private final ProgressMessenger messenger;
    private final String taskId;
    private final TaskQueueMessage message;
    private final int attempt;
    private final String ref;
    private final int maxLines;
    private final long startNanos = System.nanoTime();
    private final Deque<String> lines = new ArrayDeque<>();
    private final Object editLock = new Object();
    private long version;
    private long editedVersion;
    private String lastText;
    private int failuresInRow;
    private boolean closed;
    private ScheduledFuture<?> tick;

    private TaskProgress() {
        this(null, null, "", null, 0, null, null, 0);
    }

    TaskProgress(ProgressMessages owner, ProgressMessenger messenger, String taskId, TaskQueueMessage message, int attempt,
                 String ref, String text, int maxLines) {
        this.owner = owner;
        this.messenger = messenger;
        this.taskId = taskId;
        this.message = message;
        this.attempt = attempt;
        this.ref = ref;
        this.lastText = text;
        this.maxLines = maxLines;
    }

    /** A progress line of the runner (blank lines are not shown). */
    public void line(String text) {
        if (this == NONE || text == null || text.isBlank()) {
            return;
        }
        synchronized (this) {
            lines.addLast(text);
            while (lines.size() > maxLines) {
                lines.removeFirst();
            }
            version++;
        }
    }

    /** The message's reference (comment id, ts), or null for {@link #NONE}. */
    public String reference() {
        return ref;
    }

    void schedule(ScheduledExecutorService ticker, Duration interval) {
        long ms = interval.toMillis();
        // fixed delay: at least one interval between the end of an edit and the start of the next
        tick = ticker.scheduleWithFixedDelay(
                () -> ProgressMessages.withMdc(taskId, message.getCorrelationId(), this::tick), ms, ms, TimeUnit.MILLISECONDS);
    }

    void tick() {
        synchronized (editLock) {
            if (closed || failuresInRow >= MAX_FAILURES_IN_ROW) {
                return;
            }
            List<String> snapshot;
            long seen;
            synchronized (this) {
                if (version == editedVersion) {
                    return;
                }
                snapshot = new ArrayList<>(lines);
                seen = version;
            }
            String text = Answers.progressBody(messenger.vendor(), taskId,
                    ProgressText.working(taskId, attempt, Duration.ofNanos(System.nanoTime() - startNanos), snapshot));
            if (text.equals(lastText)) {
                editedVersion = seen;
                return;
            }
            if (owner.edit(messenger, taskId, message, ref, text, false)) {
                lastText = text;
                editedVersion = seen;
                failuresInRow = 0;
            } else {
                failuresInRow++;
            }
        }
    }

    @Override
    public void close() {
        if (this == NONE) {
            return;
        }
        if (tick != null) {
            tick.cancel(false);
        }
        synchronized (editLock) {
            closed = true;
        }
    }
}
