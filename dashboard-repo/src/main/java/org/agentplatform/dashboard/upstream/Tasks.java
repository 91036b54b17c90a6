package org.agentplatform.dashboard.upstream;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.agentplatform.dashboard.client.agent.api.QueueApi;
import org.agentplatform.dashboard.client.agent.api.RunsApi;
import org.agentplatform.dashboard.client.agent.model.DeadLetterPage;
import org.agentplatform.dashboard.client.agent.model.Run;
import org.agentplatform.dashboard.client.agent.model.RunsPage;
import org.agentplatform.dashboard.client.agent.model.Stats;
import org.agentplatform.dashboard.client.gateway.api.TasksApi;
import org.agentplatform.dashboard.client.gateway.model.DeliveriesPage;
import org.agentplatform.dashboard.client.gateway.model.Delivery;
import org.agentplatform.dashboard.client.gateway.model.Task;
import org.agentplatform.dashboard.model.ActionResult;
import org.agentplatform.dashboard.model.LogPage;
import org.agentplatform.dashboard.model.QueueView;
import org.agentplatform.dashboard.model.StatusChange;
import org.agentplatform.dashboard.model.TaskDetail;
import org.agentplatform.dashboard.model.TaskPage;
import org.agentplatform.dashboard.model.TaskSummary;
import org.agentplatform.dashboard.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks as the dashboard shows them, read from their owners: the agent (runs, logs, queue), the
 * gateway (a task no agent has taken yet, the webhook delivery that created it) and the vendor
 * services (the outbound calls made for it). Actions are calls to the agent, never a write here.
 */
@Singleton
public class Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);
    static final int LOG_PAGE = 200;

    private final RunsApi runs;
    private final QueueApi queue;
    private final TasksApi gateway;
    private final CallLogs calls;

    public Tasks(RunsApi runs, QueueApi queue, TasksApi gateway, CallLogs calls) {
        this.runs = runs;
        this.queue = queue;
        this.gateway = gateway;
        this.calls = calls;
    }

    public TaskPage list(@Nullable String status, @Nullable String source, @Nullable OffsetDateTime since,
                         @Nullable OffsetDateTime until, @Nullable String q, int page, int size) {
        RunsPage p = Upstream.call("agent", () -> runs.listRuns(status, source, since, until, q, page, size));
        List<TaskSummary> items = new ArrayList<>(p.getItems().stream().map(TaskViews::summary).toList());
        return new TaskPage(items, p.getPage(), p.getSize(), p.getTotal());
    }

    public TaskDetail detail(String taskId) {
        Run run;
        try {
            run = Upstream.call("agent", () -> runs.getRun(taskId));
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.NOT_FOUND) {
                throw e;
            }
            return acceptedOnly(taskId);
        }
        TaskSummary summary = TaskViews.summary(run);
        List<StatusChange> history = TaskViews.history(run);
        received(summary).ifPresent(r -> history.add(0, r));
        LogPage log = logs(taskId, 0L);
        return new TaskDetail(summary, history, log, calls.forTask(summary.getSourceVendor().getValue(), summary.getCorrelationId()));
    }

    /** The gateway accepted it but no agent has a run for it yet. */
    private TaskDetail acceptedOnly(String taskId) {
        Task task = Upstream.call("gateway", () -> gateway.getTask(taskId));
        TaskSummary summary = TaskViews.summary(task);
        List<StatusChange> history = new ArrayList<>();
        received(summary).ifPresent(history::add);
        StatusChange accepted = new StatusChange(task.getStatus().getValue(), task.getEnqueuedAt() != null ? task.getEnqueuedAt() : task.getCreatedAt());
        accepted.setMessage("accepted by the gateway; no agent has picked it up yet");
        history.add(accepted);
        LogPage empty = new LogPage(taskId, 0L, 0L, false, new ArrayList<>());
        return new TaskDetail(summary, history, empty, calls.forTask(summary.getSourceVendor().getValue(), summary.getCorrelationId()));
    }

    /**
     * The webhook delivery that created the task, as a first history entry. Best effort: looked
     * for among the gateway's latest deliveries of that vendor; nothing is shown when it is older.
     */
    java.util.Optional<StatusChange> received(TaskSummary task) {
        String vendor = task.getSourceVendor().getValue();
        if ("api".equals(vendor)) {
            return java.util.Optional.empty();
        }
        try {
            DeliveriesPage page = gateway.listDeliveries(0, 50, vendor, null);
            for (Delivery d : page.getItems()) {
                if (task.getTaskId().equals(d.getTaskId())) {
                    StatusChange c = new StatusChange("received", d.getReceivedAt());
                    c.setMessage(vendor + " webhook" + (d.getEvent() != null ? " " + d.getEvent() : "") + ", delivery " + d.getDeliveryId());
                    return java.util.Optional.of(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("gateway deliveries not available: {}", e.toString());
        }
        return java.util.Optional.empty();
    }

    public LogPage logs(String taskId, long offset) {
        return TaskViews.log(Upstream.call("agent", () -> runs.getRunLogs(taskId, offset, LOG_PAGE)));
    }

    public ActionResult cancel(String taskId) {
        Run run = Upstream.call("agent", () -> runs.cancelRun(taskId));
        return new ActionResult(taskId, run.getStatus().getValue(), "Cancellation requested");
    }

    public ActionResult retry(String taskId) {
        Run run = Upstream.call("agent", () -> runs.retryRun(taskId));
        return new ActionResult(taskId, run.getStatus().getValue(), "Queued again");
    }

    public ActionResult requeue(String taskId) {
        Run run = Upstream.call("agent", () -> queue.requeueDeadLetter(taskId));
        return new ActionResult(taskId, run.getStatus().getValue(), "Requeued");
    }

    public QueueView queue(int page, int size) {
        Stats stats = Upstream.call("agent", queue::getAgentStats);
        DeadLetterPage dead = Upstream.call("agent", () -> queue.listDeadLetters(page, size));
        QueueView view = new QueueView(stats.getQueueDepth(), stats.getDeadLetterCount(),
                new ArrayList<>(dead.getItems().stream().map(TaskViews::deadLetter).toList()));
        view.setInFlight(stats.getInFlight());
        return view;
    }
}
