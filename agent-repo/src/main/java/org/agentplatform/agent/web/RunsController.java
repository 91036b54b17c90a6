package org.agentplatform.agent.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.agent.api.AbstractRunsController;
import org.agentplatform.agent.model.LogPage;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.model.RunsPage;
import org.agentplatform.agent.run.RunService;
import org.agentplatform.agent.run.RunStatus;

import java.time.OffsetDateTime;
import java.util.Set;

/** The generated runs API: HTTP in, {@link RunService} calls, generated models out. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunsController extends AbstractRunsController {
    private static final Set<String> SOURCES = Set.of("github", "jira", "slack", "sentry", "api");
    private final RunService runs;

    public RunsController(RunService runs) {
        this.runs = runs;
    }

    @Override
    public HttpResponse<RunsPage> listRuns(String status, String source, OffsetDateTime since, OffsetDateTime until,
                                           String q, Integer page, Integer size) {
        // the generator leaves enum query parameters as plain strings: check them here
        if (status != null && !RunStatus.ALL.contains(status)) {
            throw ApiException.badParam("status", "must be one of " + String.join(", ", RunStatus.ALL.stream().sorted().toList()));
        }
        if (source != null && !SOURCES.contains(source)) {
            throw ApiException.badParam("source", "must be one of " + String.join(", ", SOURCES.stream().sorted().toList()));
        }
        return HttpResponse.ok(runs.list(status, source, since, until, q, page == null ? 0 : page, size == null ? 50 : size));
    }

    @Override
    public HttpResponse<Run> getRun(String taskId) {
        return HttpResponse.ok(runs.get(taskId));
    }

    @Override
    public HttpResponse<Run> cancelRun(String taskId) {
        return HttpResponse.accepted().body(runs.cancel(taskId));
    }

    @Override
    public HttpResponse<Run> retryRun(String taskId) {
        return HttpResponse.accepted().body(runs.retry(taskId));
    }

    @Override
    public HttpResponse<LogPage> getRunLogs(String taskId, Long offset, Integer limit) {
        return HttpResponse.ok(runs.logs(taskId, offset == null ? 0 : offset, limit == null ? 200 : limit));
    }
}
