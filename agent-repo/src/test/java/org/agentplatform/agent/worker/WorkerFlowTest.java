package org.agentplatform.agent.worker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.lettuce.core.StreamMessage;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunLogRepository;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.run.StatusHistoryRepository;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.support.LogCapture;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.Redis;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole worker path with the real worker pool: queue → run (dry-run) → answer through the
 * generated github-service client (WireMock) → ack, and what a redelivery does.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerFlowTest implements TestPropertyProvider {
    private static final String PR_PATH = "/api/v1/github/pr/octo/hello/7/comment";
    private WireMockServer github;

    @Inject RunRepository runs;
    @Inject StatusHistoryRepository history;
    @Inject RunLogRepository logs;
    @Inject JsonMapper json;
    @Inject org.agentplatform.agent.queue.TaskQueue queue;

    @Override
    public Map<String, String> getProperties() {
        github = new WireMockServer(0);
        github.start();
        Map<String, String> p = TestInfra.properties();
        p.put("micronaut.http.services.github-service.url", github.baseUrl());
        p.put("agent.runner", "dry-run");
        p.put("agent.workers", "2");
        return p;
    }

    @AfterAll
    void stopWireMock() {
        github.stop();
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
        queue.ensureGroups();
        github.resetAll();
        github.stubFor(post(urlMatching("/api/v1/github/pr/.*/comment")).willReturn(okJson(
                "{\"success\":true,\"comment_id\":555,\"message\":\"Comment posted\"}")));
        github.stubFor(post(urlMatching("/api/v1/github/issues/.*/comment")).willReturn(okJson(
                "{\"success\":true,\"comment_id\":556,\"dry_run\":false,\"message\":\"Comment posted\"}")));
    }

    @Test
    void aPullRequestTaskIsAnsweredOnceOnThePrWithMarkerIdempotencyKeyCorrelationAndToken() {
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "@agent please review this change"), 0);

        RunEntity run = awaitAnswered(id);
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.runner()).isEqualTo("dry-run");
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.costUsd()).isEqualByComparingTo("0");
        assertThat(run.result()).isEqualTo("Dry run: I would work on:\n\n> @agent please review this change");
        assertThat(run.answerRef()).isEqualTo("555");
        assertThat(run.durationMs()).isNotNull();

        github.verify(1, postRequestedFor(urlEqualTo(PR_PATH))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer"))
                .withHeader("X-Correlation-Id", equalTo("corr-" + id))
                .withHeader("Authorization", equalTo("Bearer agent-token"))
                .withRequestBody(matchingJsonPath("$.comment", containing("> @agent please review this change")))
                .withRequestBody(matchingJsonPath("$.comment", containing("<!-- agent-platform:task=" + id + " -->"))));
        // the only issue comment on the PR is the progress message (its own key), never a second answer
        github.verify(0, postRequestedFor(urlMatching("/api/v1/github/issues/.*"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer")));
        github.verify(1, postRequestedFor(urlEqualTo("/api/v1/github/issues/octo/hello/7/comment"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-progress")));
        Await.until("entry acknowledged and deleted", () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);
        assertThat(history.findByTaskIdOrderById(id)).extracting(h -> h.status())
                .containsExactly("queued", "running", "succeeded");
    }

    @Test
    void anIssueTaskIsAnsweredWithAnIssueCommentOnItsNumber() {
        String id = Messages.newId();
        Redis.enqueue(Messages.github(id, "@agent triage this", 8, false, 0), 0);

        awaitAnswered(id);
        github.verify(1, postRequestedFor(urlEqualTo("/api/v1/github/issues/octo/hello/8/comment"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer"))
                .withRequestBody(matchingJsonPath("$.body", containing("> @agent triage this")))
                .withRequestBody(matchingJsonPath("$.body", containing("<!-- agent-platform:task=" + id + " -->"))));
        github.verify(0, postRequestedFor(urlMatching("/api/v1/github/pr/.*")));
    }

    @Test
    void aRedeliveredFinishedTaskIsOnlyAcknowledgedAndNothingIsPostedTwice() throws Exception {
        String id = Messages.newId();
        String message = Messages.githubPr(id, "do it once");
        Redis.enqueue(message, 0);
        awaitAnswered(id);

        // the same message again (the gateway retried), and the same entry redelivered to the group
        // after its worker "died" between posting and acking
        Redis.enqueue(message, 0);
        Redis.enqueue(message, 5);
        String ghostEntry = Redis.enqueueHeldBy("ghost-worker", message, 2);
        Await.until("all copies acknowledged", Duration.ofSeconds(15), () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);

        github.verify(1, postRequestedFor(urlEqualTo(PR_PATH)));
        RunEntity run = runs.findById(id).orElseThrow();
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(ghostEntry).isNotBlank();
    }

    @Test
    void whenGithubServiceIsDownTheAnswerWaitsAndIsPostedOnRedeliveryWithTheSameKeyWithoutRunningAgain() {
        github.resetAll();
        github.stubFor(post(urlEqualTo(PR_PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("still down"));
        github.stubFor(post(urlEqualTo(PR_PATH)).inScenario("flaky").whenScenarioStateIs("still down")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        github.stubFor(post(urlEqualTo(PR_PATH)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"success\":true,\"comment_id\":777,\"message\":\"Comment posted\"}")));
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "patience"), 0);

        RunEntity run = awaitAnswered(id);
        assertThat(run.attempts()).as("the run itself is not repeated").isEqualTo(1);
        assertThat(run.answerRef()).isEqualTo("777");
        assertThat(run.answerRounds()).isEqualTo(2);
        github.verify(3, postRequestedFor(urlEqualTo(PR_PATH)).withHeader("Idempotency-Key", equalTo("task-" + id + "-answer")));
        assertThat(logs.page(id, 0, 100)).extracting(l -> l.text())
                .anyMatch(t -> t.startsWith("answer not posted yet"))
                .anyMatch(t -> t.startsWith("answer posted: comment 777"));
        Await.until("entry acknowledged", () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);
    }

    @Test
    void anApiTaskStoresItsResultAndPostsNothing() {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "just compute", 0), 0);
        Await.until("api run done", () -> runs.findById(id).map(r -> "stored".equals(r.answerState())).orElse(false));
        RunEntity run = runs.findById(id).orElseThrow();
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.answerPosted()).isFalse();
        assertThat(run.result()).contains("> just compute");
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void taskEventsArePublishedInOrderWithCorrelationVendorAttemptAndLogSeq() throws IOException {
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "events please"), 0);
        awaitAnswered(id);
        Await.until("succeeded event", () -> eventsOf(id).stream().anyMatch(e -> "succeeded".equals(e.get("type"))));

        List<Map<String, Object>> events = eventsOf(id);
        List<Object> types = events.stream().map(e -> e.get("type")).toList();
        assertThat(types.get(0)).isEqualTo("queued");
        assertThat(types.get(1)).isEqualTo("started");
        assertThat(types.get(types.size() - 1)).isEqualTo("succeeded");
        assertThat(types.subList(2, types.size() - 1)).isNotEmpty().allMatch("progress"::equals);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("correlation_id")).isEqualTo("corr-" + id);
            assertThat(e.get("source_vendor")).isEqualTo("github");
            assertThat(e.get("at")).isNotNull();
        });
        assertThat(events.get(1).get("attempt")).isEqualTo(1);
        assertThat(events.get(events.size() - 1).get("message").toString()).startsWith("answer posted");
        assertThat(((Number) events.get(events.size() - 1).get("cost_usd")).doubleValue()).isZero();
        List<Integer> seqs = events.stream().filter(e -> "progress".equals(e.get("type")))
                .map(e -> ((Number) e.get("log_seq")).intValue()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates().startsWith(0);
    }

    @Test
    void everyLogLineOfATasksProcessingCarriesItsCorrelationId() {
        String id = Messages.newId();
        try (LogCapture capture = new LogCapture()) {
            Redis.enqueue(Messages.githubPr(id, "log me"), 0);
            awaitAnswered(id);
            List<ILoggingEvent> mine = capture.events().stream()
                    .filter(e -> e.getFormattedMessage().contains(id) || id.equals(e.getMDCPropertyMap().get("task_id")))
                    .filter(e -> e.getLoggerName().startsWith("org.agentplatform.agent.worker")
                            || e.getLoggerName().startsWith("org.agentplatform.agent.answer"))
                    .toList();
            assertThat(mine).isNotEmpty();
            assertThat(mine).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", "corr-" + id));
        }
    }

    @Test
    void anInvalidMessageIsDeadLetteredAtOnceWithItsReason() {
        String broken = "{\"task_id\":\"broken-1\",\"session_id\":\"s\",\"user_id\":\"u\",\"agent_type\":\"coding\",\"model\":\"m\"}";
        Redis.enqueue(broken, 0);
        Await.until("dead-lettered", () -> Redis.deadLetters().size() == 1);
        StreamMessage<String, String> dead = Redis.deadLetters().get(0);
        assertThat(dead.getBody()).containsEntry("message", broken).containsEntry("attempts", "0").containsKey("failed_at");
        assertThat(dead.getBody().get("reason")).contains("input_message");
        assertThat(runs.findById("broken-1")).isEmpty();
        Await.until("entry gone", () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);
    }

    @Test
    void unknownMessagePropertiesAreIgnored() {
        String id = Messages.newId();
        String message = Messages.api(id, "forward compatible", 0).replace("\"agent_type\"",
                "\"a_future_field\":{\"x\":[1,2]},\"agent_type\"");
        Redis.enqueue(message, 0);
        Await.until("run succeeded", () -> runs.findById(id).map(r -> "succeeded".equals(r.status())).orElse(false));
    }

    @Test
    void anEntryHeldByADeadAgentIsTakenOverAfterTheVisibilityTimeoutAndRunOnce() {
        String id = Messages.newId();
        // another agent process read it and was killed before doing anything
        Redis.enqueueHeldBy("killed-host-1-1", Messages.githubPr(id, "orphaned"), 1);
        long t0 = System.nanoTime();
        RunEntity run = awaitAnswered(id);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("waited for the visibility timeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(run.attempts()).isEqualTo(1);
        github.verify(1, postRequestedFor(urlEqualTo(PR_PATH)));
    }

    private RunEntity awaitAnswered(String id) {
        Await.until("task " + id + " answered", Duration.ofSeconds(20),
                () -> runs.findById(id).map(r -> r.answerPosted()).orElse(false));
        return runs.findById(id).orElseThrow();
    }

    private List<Map<String, Object>> eventsOf(String id) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StreamMessage<String, String> m : Redis.events()) {
            try {
                Map<String, Object> e = json.readValue(m.getBody().get("event"), Argument.mapOf(String.class, Object.class));
                if (id.equals(e.get("task_id"))) {
                    out.add(e);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
        return WireMock.aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
