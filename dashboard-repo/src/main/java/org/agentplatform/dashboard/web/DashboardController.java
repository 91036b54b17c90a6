package org.agentplatform.dashboard.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.dashboard.api.AbstractDashboardController;
import org.agentplatform.dashboard.model.ActionResult;
import org.agentplatform.dashboard.model.DashboardCallsPage;
import org.agentplatform.dashboard.model.HealthReport;
import org.agentplatform.dashboard.model.LogPage;
import org.agentplatform.dashboard.model.QueueView;
import org.agentplatform.dashboard.model.TaskDetail;
import org.agentplatform.dashboard.model.TaskPage;
import org.agentplatform.dashboard.upstream.CallLogs;
import org.agentplatform.dashboard.upstream.HealthChecks;
import org.agentplatform.dashboard.upstream.Tasks;

import java.time.OffsetDateTime;

/** The dashboard API: HTTP to {@link Tasks}, {@link CallLogs} and {@link HealthChecks}, nothing else. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class DashboardController extends AbstractDashboardController {
    private final Tasks tasks;
    private final CallLogs calls;
    private final HealthChecks health;

    public DashboardController(Tasks tasks, CallLogs calls, HealthChecks health) {
        this.tasks = tasks;
        this.calls = calls;
        this.health = health;
    }

    @Override
    public HttpResponse<TaskPage> listDashboardTasks(String status, String source, OffsetDateTime since, OffsetDateTime until,
                                                      String q, Integer page, Integer size) {
        oneOf("status", status, STATUSES);
        oneOf("source", source, SOURCES);
        if (since != null && until != null && !since.isBefore(until)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "since: must be before until",
                    java.util.List.of(Problems.param("since", "must be before until")));
        }
        return HttpResponse.ok(tasks.list(status, source, since, until, q, orZero(page), orFifty(size)));
    }

    @Override
    public HttpResponse<TaskDetail> getDashboardTask(String taskId) {
        return HttpResponse.ok(tasks.detail(taskId));
    }

    @Override
    public HttpResponse<LogPage> getDashboardTaskLogs(String taskId, Long offset) {
        return HttpResponse.ok(tasks.logs(taskId, offset == null ? 0 : offset));
    }

    @Override
    public HttpResponse<ActionResult> cancelDashboardTask(String taskId, String xCSRFToken) {
        return HttpResponse.accepted().body(tasks.cancel(taskId));
    }

    @Override
    public HttpResponse<ActionResult> retryDashboardTask(String taskId, String xCSRFToken) {
        return HttpResponse.accepted().body(tasks.retry(taskId));
    }

    @Override
    public HttpResponse<ActionResult> requeueDashboardDeadLetter(String taskId, String xCSRFToken) {
        return HttpResponse.accepted().body(tasks.requeue(taskId));
    }

    @Override
    public HttpResponse<HealthReport> getComponentHealth() {
        return HttpResponse.ok(health.report());
    }

    @Override
    public HttpResponse<QueueView> getQueueView(Integer page, Integer size) {
        return HttpResponse.ok(tasks.queue(orZero(page), orFifty(size)));
    }

    @Override
    public HttpResponse<DashboardCallsPage> listDashboardCalls(String service, Boolean dryRun, String correlationId, Integer page, Integer size) {
        return HttpResponse.ok(calls.list(service, dryRun, correlationId, orZero(page), orFifty(size)));
    }

    static final java.util.List<String> STATUSES = java.util.List.of("queued", "running", "succeeded", "failed", "cancelled", "dead_lettered");
    static final java.util.List<String> SOURCES = java.util.List.of("github", "jira", "slack", "sentry", "api");

    /** The generated controller takes enum query parameters as plain strings: checked here. */
    private static void oneOf(String name, String value, java.util.List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            String reason = "must be one of " + String.join(", ", allowed);
            throw new ProblemException(HttpStatus.BAD_REQUEST, name + ": " + reason, java.util.List.of(Problems.param(name, reason)));
        }
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private static int orFifty(Integer v) {
        return v == null ? 50 : v;
    }
}
