package org.agentplatform.dashboard.pact;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.dashboard.client.agent.api.QueueApi;
import org.agentplatform.dashboard.client.agent.api.RunsApi;
import org.agentplatform.dashboard.client.agent.model.Stats;
import org.agentplatform.dashboard.model.ActionResult;
import org.agentplatform.dashboard.model.LogPage;
import org.agentplatform.dashboard.model.TaskPage;
import org.agentplatform.dashboard.model.TaskSummary;
import org.agentplatform.dashboard.upstream.TaskViews;
import org.agentplatform.dashboard.upstream.Tasks;
import org.junit.jupiter.api.Test;

import static org.agentplatform.dashboard.pact.PactSupport.RFC3339;
import static org.agentplatform.dashboard.pact.PactSupport.RUN_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact dashboard → agent: every agent operation the dashboard calls, driven through the
 * generated client and the dashboard's own mapping. Only the ids named in the provider states
 * are exact; everything the agent generates is matched by type or pattern. The service token is
 * not part of the pact (the provider's verification adds its own).
 */
@PactConsumerTest
@PactTestFor(providerName = "agent")
class AgentPactTest {
    static final String RUN = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
    static final String FAILED = "9a1b2c3d-0000-4000-8000-000000000001";
    static final String DEAD = "5b2d0c1e-0000-4000-8000-000000000002";

    @Pact(consumer = "dashboard")
    V4Pact runsAndStats(PactDslWithProvider builder) {
        PactDslJsonBody page = new PactDslJsonBody();
        PactSupport.run(page.minArrayLike("items", 1), RUN, false, "succeeded").closeObject().closeArray();
        page.integerType("page", 0).integerType("size", 50).integerType("total", 1L);
        return builder
                .given("runs exist")
                .uponReceiving("a page of runs for the dashboard's task list")
                .path("/api/v1/agent/runs")
                .method("GET")
                .matchQuery("page", "\\d+", "0")
                .matchQuery("size", "\\d+", "50")
                .willRespondWith()
                .status(200)
                .body(page)
                .given("runs exist")
                .uponReceiving("the agent's queue statistics")
                .path("/api/v1/agent/stats")
                .method("GET")
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .integerType("queue_depth", 3L)
                        .integerType("in_flight", 1L)
                        .integerType("dead_letter_count", 0L))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact oneRunAndItsLog(PactDslWithProvider builder) {
        PactDslJsonBody run = PactSupport.run(new PactDslJsonBody(), RUN, true, "succeeded");
        run.minArrayLike("history", 1)
                .stringType("status", "queued")
                .stringMatcher("at", RFC3339, "2026-11-26T10:00:00.015Z")
                .closeObject().closeArray();
        PactDslJsonBody log = new PactDslJsonBody()
                .stringValue("task_id", RUN)
                .integerType("offset", 0L)
                .integerType("next_offset", 1L)
                .booleanType("complete", true);
        log.minArrayLike("lines", 1)
                .integerType("seq", 0L)
                .stringMatcher("at", RFC3339, "2026-11-26T10:00:00.021Z")
                .stringMatcher("stream", "stdout|stderr|system", "system")
                .stringType("text", "runner dry-run started")
                .closeObject().closeArray();
        return builder
                .given("run " + RUN + " exists")
                .uponReceiving("a request for run " + RUN)
                .path("/api/v1/agent/runs/" + RUN)
                .method("GET")
                .willRespondWith()
                .status(200)
                .body(run)
                .given("run " + RUN + " exists")
                .uponReceiving("a request for the log of run " + RUN)
                .path("/api/v1/agent/runs/" + RUN + "/logs")
                .method("GET")
                .matchQuery("offset", "\\d+", "0")
                .matchQuery("limit", "\\d+", "200")
                .willRespondWith()
                .status(200)
                .body(log)
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact cancelARunningRun(PactDslWithProvider builder) {
        return builder
                .given("run " + RUN + " is running")
                .uponReceiving("a cancel of run " + RUN)
                .path("/api/v1/agent/runs/" + RUN + "/cancel")
                .method("POST")
                .willRespondWith()
                .status(202)
                .body(PactSupport.run(new PactDslJsonBody(), RUN, true, "cancelled"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact retryAFailedRun(PactDslWithProvider builder) {
        return builder
                .given("run " + FAILED + " has failed")
                .uponReceiving("a retry of run " + FAILED)
                .path("/api/v1/agent/runs/" + FAILED + "/retry")
                .method("POST")
                .willRespondWith()
                .status(202)
                .body(PactSupport.run(new PactDslJsonBody(), FAILED, true, "queued"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact deadLetters(PactDslWithProvider builder) {
        PactDslJsonBody page = new PactDslJsonBody();
        page.minArrayLike("items", 1)
                .stringMatcher("task_id", PactSupport.ID, DEAD)
                .stringType("reason", "runner failed 3 times: exit code 1")
                .integerType("attempts", 3)
                .stringMatcher("failed_at", RFC3339, "2026-11-26T10:05:00Z")
                .closeObject().closeArray();
        page.integerType("page", 0).integerType("size", 50).integerType("total", 1L);
        return builder
                .given("task " + DEAD + " is dead-lettered")
                .uponReceiving("a page of dead letters")
                .path("/api/v1/agent/dead-letters")
                .method("GET")
                .matchQuery("page", "\\d+", "0")
                .matchQuery("size", "\\d+", "50")
                .willRespondWith()
                .status(200)
                .body(page)
                .given("task " + DEAD + " is dead-lettered")
                .uponReceiving("a requeue of dead-lettered task " + DEAD)
                .path("/api/v1/agent/dead-letters/" + DEAD + "/requeue")
                .method("POST")
                .willRespondWith()
                .status(202)
                .body(PactSupport.run(new PactDslJsonBody(), DEAD, true, "queued"))
                .toPact(V4Pact.class);
    }

    @Test
    @PactTestFor(pactMethod = "runsAndStats")
    void theTaskListAndTheQueueDepthComeFromTheAgent(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("agent", mock)) {
            TaskPage page = ctx.getBean(Tasks.class).list(null, null, null, null, null, 0, 50);
            assertThat(page.getItems()).isNotEmpty();
            TaskSummary t = page.getItems().get(0);
            assertThat(t.getTaskId()).isNotBlank();
            assertThat(t.getStatus().getValue()).matches(RUN_STATUS);
            assertThat(t.getCreatedAt()).isNotNull();
            Stats stats = ctx.getBean(QueueApi.class).getAgentStats();
            assertThat(stats.getQueueDepth()).isNotNegative();
            assertThat(stats.getDeadLetterCount()).isNotNegative();
        }
    }

    @Test
    @PactTestFor(pactMethod = "oneRunAndItsLog")
    void theTaskDetailReadsTheRunAndItsLog(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("agent", mock)) {
            RunsApi runs = ctx.getBean(RunsApi.class);
            TaskSummary t = TaskViews.summary(runs.getRun(RUN));
            assertThat(t.getTaskId()).isEqualTo(RUN);
            assertThat(TaskViews.history(runs.getRun(RUN))).isNotEmpty();
            LogPage log = ctx.getBean(Tasks.class).logs(RUN, 0);
            assertThat(log.getLines()).isNotEmpty();
            assertThat(log.getNextOffset()).isPositive();
        }
    }

    @Test
    @PactTestFor(pactMethod = "cancelARunningRun")
    void cancelIsTheAgentsCancel(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("agent", mock)) {
            ActionResult r = ctx.getBean(Tasks.class).cancel(RUN);
            assertThat(r.getTaskId()).isEqualTo(RUN);
            assertThat(r.getStatus()).matches(RUN_STATUS);
        }
    }

    @Test
    @PactTestFor(pactMethod = "retryAFailedRun")
    void retryIsTheAgentsRetry(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("agent", mock)) {
            ActionResult r = ctx.getBean(Tasks.class).retry(FAILED);
            assertThat(r.getStatus()).matches(RUN_STATUS);
            assertThat(r.getMessage()).isEqualTo("Queued again");
        }
    }

    @Test
    @PactTestFor(pactMethod = "deadLetters")
    void deadLettersAreListedAndRequeuedThroughTheAgent(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("agent", mock)) {
            var dead = ctx.getBean(QueueApi.class).listDeadLetters(0, 50);
            assertThat(dead.getItems()).isNotEmpty();
            assertThat(TaskViews.deadLetter(dead.getItems().get(0)).getReason()).isNotBlank();
            ActionResult r = ctx.getBean(Tasks.class).requeue(DEAD);
            assertThat(r.getTaskId()).isEqualTo(DEAD);
            assertThat(r.getMessage()).isEqualTo("Requeued");
        }
    }
}
