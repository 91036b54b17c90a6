package org.agentplatform.agent.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.agent.api.AbstractQueueController;
import org.agentplatform.agent.model.DeadLetterPage;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.model.Stats;
import org.agentplatform.agent.run.RunService;

/** The generated queue API: statistics and dead letters. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class QueueController extends AbstractQueueController {
    private final RunService runs;

    public QueueController(RunService runs) {
        this.runs = runs;
    }

    @Override
    public HttpResponse<Stats> getAgentStats() {
        return HttpResponse.ok(runs.stats());
    }

    @Override
    public HttpResponse<DeadLetterPage> listDeadLetters(Integer page, Integer size) {
        return HttpResponse.ok(runs.deadLetterPage(page == null ? 0 : page, size == null ? 50 : size));
    }

    @Override
    public HttpResponse<Run> requeueDeadLetter(String taskId) {
        return HttpResponse.accepted().body(runs.requeueDeadLetter(taskId));
    }
}
