package org.agentplatform.dashboard.upstream;

import org.agentplatform.dashboard.client.agent.model.Run;
import org.agentplatform.dashboard.client.agent.model.TaskSource;
import org.agentplatform.dashboard.client.agent.model.TaskSourceGithub;
import org.agentplatform.dashboard.client.gateway.model.Task;
import org.agentplatform.dashboard.model.DeadLetter;
import org.agentplatform.dashboard.model.LogLine;
import org.agentplatform.dashboard.model.LogPage;
import org.agentplatform.dashboard.model.StatusChange;
import org.agentplatform.dashboard.model.TaskSummary;

import java.util.List;

/** Maps the agent's and the gateway's models to the dashboard API's. */
public final class TaskViews {
    private TaskViews() {
    }

    public static TaskSummary summary(Run run) {
        TaskSummary s = new TaskSummary(run.getTaskId(),
                TaskSummary.StatusEnum.fromValue(run.getStatus().getValue()),
                TaskSummary.SourceVendorEnum.fromValue(run.getSource().getVendor().getValue()),
                run.getInputMessage(), run.getUserId(), run.getAttempts(), run.getCreatedAt());
        s.setSourceUrl(sourceUrl(run.getSource()));
        s.setModel(run.getModel());
        s.setRunner(run.getRunner());
        s.setCorrelationId(run.getCorrelationId());
        s.setStartedAt(run.getStartedAt());
        s.setFinishedAt(run.getFinishedAt());
        s.setDurationMs(run.getDurationMs());
        s.setCostUsd(run.getCostUsd());
        s.setResult(run.getResult());
        s.setError(run.getError());
        return s;
    }

    /** A task the gateway accepted that no agent has picked up yet: shown as queued. */
    public static TaskSummary summary(Task task) {
        TaskSummary s = new TaskSummary(task.getTaskId(), TaskSummary.StatusEnum.QUEUED,
                TaskSummary.SourceVendorEnum.fromValue(task.getSource().getVendor().getValue()),
                task.getInputMessage(), task.getUserId(), 0, task.getCreatedAt());
        s.setSourceUrl(task.getSource().getUrl());
        s.setModel(task.getModel());
        s.setCorrelationId(task.getCorrelationId());
        return s;
    }

    /** The link to the triggering comment; for GitHub built from owner/repo/number when the link is missing. */
    static String sourceUrl(TaskSource source) {
        if (source.getUrl() != null) {
            return source.getUrl();
        }
        TaskSourceGithub gh = source.getGithub();
        if (gh != null) {
            // github.com redirects /issues/N to /pull/N for pull requests
            return "https://github.com/" + gh.getOwner() + "/" + gh.getRepo() + "/issues/" + gh.getNumber();
        }
        return null;
    }

    public static List<StatusChange> history(Run run) {
        if (run.getHistory() == null) {
            return new java.util.ArrayList<>();
        }
        return new java.util.ArrayList<>(run.getHistory().stream().map(h -> {
            StatusChange c = new StatusChange(h.getStatus(), h.getAt());
            c.setMessage(h.getMessage());
            return c;
        }).toList());
    }

    public static LogPage log(org.agentplatform.dashboard.client.agent.model.LogPage page) {
        List<LogLine> lines = page.getLines().stream().map(l -> new LogLine(l.getSeq(), l.getAt(),
                LogLine.StreamEnum.fromValue(l.getStream().getValue()), l.getText())).toList();
        return new LogPage(page.getTaskId(), page.getOffset(), page.getNextOffset(), page.getComplete(), new java.util.ArrayList<>(lines));
    }

    public static DeadLetter deadLetter(org.agentplatform.dashboard.client.agent.model.DeadLetter d) {
        DeadLetter out = new DeadLetter(d.getTaskId(), d.getReason(), d.getAttempts(), d.getFailedAt());
        out.setInputMessage(d.getInputMessage());
        out.setSourceVendor(d.getSourceVendor());
        return out;
    }
}
