package org.agentplatform.agent.worker;

import io.micronaut.data.exceptions.DataAccessException;
import org.agentplatform.agent.run.LogLineEntity;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunJournal;
import org.agentplatform.agent.run.RunLogRepository;
import org.agentplatform.agent.runner.ProgressSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A run's log as a {@link ProgressSink}: each line is stored in {@code run_log} with the next
 * {@code seq} of the task (continuing across attempts) and published as a progress event.
 * Runners may call it from several threads (stdout and stderr readers). The first line is
 * appended after the task's last one in the same statement (no separate look-up of the last seq);
 * the following ones take the next seq.
 */
final class RunLog implements ProgressSink {
    private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
    private static final int MAX_TEXT = 10_000;

    private final RunEntity run;
    private final RunLogRepository logs;
    private final RunJournal journal;
    private final Consumer<BigDecimal> costListener;
    private final Consumer<String> lineListener;
    /** The seq of the next line; -1 while unknown (no line written yet, or another attempt wrote some meanwhile). */
    private long nextSeq = -1;
    private volatile BigDecimal cost = BigDecimal.ZERO;

    RunLog(RunEntity run, RunLogRepository logs, RunJournal journal, Consumer<BigDecimal> costListener) {
        this(run, logs, journal, costListener, line -> { });
    }

    /** {@code lineListener} also sees every line (the progress message shows the last ones). */
    RunLog(RunEntity run, RunLogRepository logs, RunJournal journal, Consumer<BigDecimal> costListener,
           Consumer<String> lineListener) {
        this.lineListener = lineListener;
        this.run = run;
        this.logs = logs;
        this.journal = journal;
        this.costListener = costListener;
    }

    @Override
    public synchronized void line(String stream, String text) {
        String t = text == null ? "" : text.replace("\r", "");
        if (t.length() > MAX_TEXT) {
            t = t.substring(0, MAX_TEXT) + "…";
        }
        Instant now = Instant.now();
        long seq;
        try {
            seq = store(now, stream, t);
        } catch (DataAccessException clash) {
            // another attempt wrote lines meanwhile (a taken-over entry): continue after them
            nextSeq = -1;
            try {
                seq = store(now, stream, t);
            } catch (RuntimeException e) {
                LOG.warn("log line of task {} not stored: {}", run.taskId(), e.toString());
                return;
            }
        }
        if (ProgressSink.SYSTEM.equals(stream)) {
            LOG.info("{}", t);
        }
        journal.progress(run, seq, t, cost);
        nextSeq = seq + 1;
        lineListener.accept(t);
    }

    private long store(Instant at, String stream, String text) {
        if (nextSeq < 0) {
            return logs.appendAfterLast(run.taskId(), at, stream, text).seq();
        }
        logs.save(new LogLineEntity(null, run.taskId(), nextSeq, at, stream, text));
        return nextSeq;
    }

    void system(String text) {
        line(ProgressSink.SYSTEM, text);
    }

    @Override
    public void cost(BigDecimal costSoFar) {
        if (costSoFar != null) {
            cost = costSoFar;
            costListener.accept(costSoFar);
        }
    }

    BigDecimal cost() {
        return cost;
    }
}
