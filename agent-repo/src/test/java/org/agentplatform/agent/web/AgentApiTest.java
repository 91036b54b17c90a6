package org.agentplatform.agent.web;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.agent.model.DeadLetterPage;
import org.agentplatform.agent.model.LogPage;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.model.RunsPage;
import org.agentplatform.agent.model.Stats;
import org.agentplatform.agent.queue.QueueEntry;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.queue.TaskStreams;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.Redis;
import org.agentplatform.agent.support.TestInfra;
import org.agentplatform.agent.worker.Lease;
import org.agentplatform.agent.worker.RetryScheduler;
import org.agentplatform.agent.worker.TaskProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent API through the real HTTP stack. No worker pool here: the test drives the task
 * processor itself, one entry at a time, so every state is reached deterministically.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentApiTest implements TestPropertyProvider {
    private static final String TOKEN = "gw-token";
    private static final String WORKER = "api-test-worker";
    private WireMockServer github;

    @Inject @Client("/") HttpClient http;
    @Inject TaskProcessor processor;
    @Inject TaskQueue queue;
    @Inject RetryScheduler retries;
    @Inject RunRepository runs;

    @Override
    public Map<String, String> getProperties() {
        github = new WireMockServer(0);
        github.start();
        Map<String, String> p = TestInfra.properties();
        p.put("agent.consumer-enabled", "false");
        p.put("agent.max-attempts", "2");
        p.put("agent.runner", "command");
        p.put("agent.command", """
                case "$AGENT_INPUT" in
                  fail*) echo "boom" >&2; exit 1 ;;
                  sleep*) sleep 30 ;;
                  *) echo "one"; echo "two"; echo "three" ;;
                esac""");
        p.put("micronaut.http.services.github-service.url", github.baseUrl());
        return p;
    }

    @AfterAll
    void stop() {
        github.stop();
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
        queue.ensureGroups();
        github.resetAll();
        github.stubFor(post(urlMatching("/api/v1/github/.*")).willReturn(okJson(
                "{\"success\":true,\"comment_id\":1,\"dry_run\":true,\"message\":\"ok\"}")));
    }

    // ------------------------------------------------------------------ auth, health, problems

    @Test
    void theApiNeedsAServiceToken() {
        for (MutableHttpRequest<?> r : List.of(HttpRequest.GET("/api/v1/agent/runs"),
                HttpRequest.GET("/api/v1/agent/stats").bearerAuth("wrong"),
                HttpRequest.GET("/api/v1/agent/runs").header("Authorization", "Basic Z3c6Z3ctdG9rZW4="))) {
            HttpClientResponseException e = problem(r, 401);
            assertThat(e.getResponse().getHeaders().get("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(body(e)).containsEntry("title", "Unauthorized").containsEntry("detail", "A valid service token is required");
        }
        assertThat(blocking().exchange(HttpRequest.GET("/api/v1/agent/runs").bearerAuth("db-token"), RunsPage.class)
                .getStatus().getCode()).as("every caller in SERVICE_TOKENS").isEqualTo(200);
    }

    @Test
    void healthAndPrometheusAreOpenAndReportRedisDatabaseAndQueueMetrics() {
        HttpResponse<Map> health = blocking().exchange(HttpRequest.GET("/health"), Map.class);
        assertThat(health.getStatus().getCode()).isEqualTo(200);
        assertThat(health.body().toString()).contains("redis").contains("jdbc");
        String metrics = blocking().retrieve(HttpRequest.GET("/prometheus"));
        assertThat(metrics).contains("agent_queue_depth").contains("agent_queue_in_flight").contains("agent_dead_letters");
    }

    @Test
    void everyResponseEchoesTheCorrelationId() {
        HttpResponse<RunsPage> r = blocking().exchange(authed(HttpRequest.GET("/api/v1/agent/runs"))
                .header("X-Correlation-Id", "corr-123"), RunsPage.class);
        assertThat(r.getHeaders().get("X-Correlation-Id")).isEqualTo("corr-123");
        assertThat(blocking().exchange(authed(HttpRequest.GET("/api/v1/agent/runs")), RunsPage.class)
                .getHeaders().get("X-Correlation-Id")).isNotBlank();
    }

    @Test
    void unknownRunsRoutesAndMethodsAreProblems() {
        assertThat(body(problem(authed(HttpRequest.GET("/api/v1/agent/runs/nope")), 404)))
                .containsEntry("detail", "No run for task nope");
        problem(authed(HttpRequest.GET("/api/v1/agent/nothing-here")), 404);
        problem(authed(HttpRequest.DELETE("/api/v1/agent/runs")), 405);
        Map<String, Object> bad = body(problem(authed(HttpRequest.GET("/api/v1/agent/runs/bad%20id!")), 400));
        assertThat(bad.get("invalid_params").toString()).contains("name=task_id");
    }

    @Test
    void listParametersAreValidatedNamingTheParameter() {
        assertThat(invalidNames("/api/v1/agent/runs?status=bogus")).containsExactly("status");
        assertThat(invalidNames("/api/v1/agent/runs?source=gitlab")).containsExactly("source");
        assertThat(invalidNames("/api/v1/agent/runs?size=500")).containsExactly("size");
        assertThat(invalidNames("/api/v1/agent/runs?page=-1")).containsExactly("page");
        assertThat(invalidNames("/api/v1/agent/runs?since=yesterday")).containsExactly("since");
        assertThat(invalidNames("/api/v1/agent/runs/x/logs?limit=0")).containsExactly("limit");
        assertThat(blocking().exchange(authed(HttpRequest.GET("/api/v1/agent/runs?since=2026-11-26T00:00:00Z&until=2026-11-27T00:00:00.5%2B01:00")),
                RunsPage.class).getStatus().getCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ runs

    @Test
    void getRunShowsTheRunWithItsSourceAndHistory() {
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "@agent show me"), 0);
        work();

        Run run = blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/runs/" + id)), Run.class);
        assertThat(run.getStatus().getValue()).isEqualTo("succeeded");
        assertThat(run.getSource().getVendor().getValue()).isEqualTo("github");
        assertThat(run.getSource().getGithub().getOwner()).isEqualTo("octo");
        assertThat(run.getSource().getGithub().getNumber()).isEqualTo(7L);
        assertThat(run.getSource().getGithub().getCommentId()).isEqualTo(3000000001L);
        assertThat(run.getInputMessage()).isEqualTo("@agent show me");
        assertThat(run.getRunner()).isEqualTo("command");
        assertThat(run.getAttempts()).isEqualTo(1);
        assertThat(run.getCorrelationId()).isEqualTo("corr-" + id);
        assertThat(run.getResult()).isEqualTo("one\ntwo\nthree");
        assertThat(run.getAnswerPosted()).isTrue();
        assertThat(run.getDurationMs()).isNotNull();
        assertThat(run.getStartedAt()).isNotNull();
        assertThat(run.getFinishedAt()).isAfterOrEqualTo(run.getStartedAt());
        assertThat(run.getHistory()).extracting(h -> h.getStatus()).containsExactly("queued", "running", "succeeded");
        // the raw JSON is snake_case as the contract says
        String raw = blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/runs/" + id)));
        assertThat(raw).contains("\"task_id\"").contains("\"answer_posted\":true").contains("\"status\":\"succeeded\"")
                .contains("\"vendor\":\"github\"").contains("\"created_at\":\"2026-11-26T10:00:00Z\"");
    }

    @Test
    void listRunsFiltersPagesAndSortsNewestFirst() {
        String gh = Messages.newId();
        String a = Messages.newId();
        String b = Messages.newId();
        Redis.enqueue(Messages.githubPr(gh, "Flaky test in CI"), 0);
        work();
        Redis.enqueue(Messages.api(a, "write docs", 0), 0);
        work();
        Redis.enqueue(Messages.api(b, "fail now", 0), 0);
        work();   // failed once, waiting for its retry

        assertThat(ids(list(""))).containsExactly(b, a, gh);
        RunsPage page = list("?size=1&page=1");
        assertThat(page.getTotal()).isEqualTo(3);
        assertThat(page.getPage()).isEqualTo(1);
        assertThat(page.getSize()).isEqualTo(1);
        assertThat(ids(page)).containsExactly(a);
        assertThat(ids(list("?source=github"))).containsExactly(gh);
        assertThat(ids(list("?status=queued"))).containsExactly(b);
        assertThat(ids(list("?status=succeeded&source=api"))).containsExactly(a);
        assertThat(ids(list("?q=FLAKY"))).containsExactly(gh);
        assertThat(ids(list("?q=three"))).as("the result is searched too").containsExactly(a, gh);
        assertThat(ids(list("?until=2026-11-26T10:00:01Z"))).containsExactly(gh);
        assertThat(ids(list("?since=2026-11-26T10:00:01Z"))).containsExactly(b, a);
        assertThat(list("?page=5").getItems()).isEmpty();
    }

    @Test
    void logsArePagedFromAnOffsetAndCompleteOnceTheRunIsSettled() {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "three lines", 0), 0);
        work();

        LogPage all = logs(id, "");
        assertThat(all.getComplete()).isTrue();
        long total = all.getLines().size();
        assertThat(all.getLines()).extracting(l -> l.getSeq()).startsWith(0L);
        assertThat(all.getLines()).extracting(l -> l.getText()).contains("one", "two", "three");
        assertThat(all.getNextOffset()).isEqualTo(total);

        LogPage first = logs(id, "?offset=0&limit=2");
        assertThat(first.getLines()).hasSize(2);
        assertThat(first.getNextOffset()).isEqualTo(2);
        assertThat(first.getComplete()).as("more lines follow").isFalse();
        LogPage rest = logs(id, "?offset=2&limit=1000");
        assertThat(rest.getLines().get(0).getSeq()).isEqualTo(2);
        assertThat(rest.getComplete()).isTrue();
        LogPage past = logs(id, "?offset=" + (total + 5));
        assertThat(past.getLines()).isEmpty();
        assertThat(past.getNextOffset()).isEqualTo(total + 5);
        problem(authed(HttpRequest.GET("/api/v1/agent/runs/unknown/logs")), 404);
    }

    @Test
    void cancellingAQueuedRunCancelsItAndItsEntryIsAcknowledgedWhenSeen() {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "fail soon", 0), 0);
        work();   // failed once: queued for a retry
        assertThat(runs.findById(id).orElseThrow().status()).isEqualTo("queued");

        Run cancelled = postRun("/api/v1/agent/runs/" + id + "/cancel", 202);
        assertThat(cancelled.getStatus().getValue()).isEqualTo("cancelled");
        assertThat(cancelled.getFinishedAt()).isNotNull();

        // a copy of its entry still arrives: acknowledged, nothing runs
        Redis.enqueue(Messages.api(id, "fail soon", 0), 0);
        work();
        assertThat(runs.findById(id).orElseThrow().attempts()).isEqualTo(1);
        assertThat(Redis.entriesLeft()).isZero();
        assertThat(Redis.pending()).isZero();
        assertThat(retries.enqueueDue()).as("the pending retry is gone").isZero();

        assertThat(body(problem(authed(HttpRequest.POST("/api/v1/agent/runs/" + id + "/cancel", "")), 409)).get("detail"))
                .isEqualTo("The task already finished (cancelled)");
        problem(authed(HttpRequest.POST("/api/v1/agent/runs/nope/cancel", "")), 404);
    }

    @Test
    void cancellingARunningRunStopsItsRunner() {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "sleep long", 0), 0);
        CompletableFuture<Void> worker = CompletableFuture.runAsync(this::work);
        Await.until("running", () -> runs.findById(id).map(r -> "running".equals(r.status())).orElse(false));

        Run r = postRun("/api/v1/agent/runs/" + id + "/cancel", 202);
        assertThat(r.getStatus().getValue()).isEqualTo("running");
        worker.join();
        assertThat(runs.findById(id).orElseThrow().status()).isEqualTo("cancelled");
        assertThat(Redis.entriesLeft()).isZero();
    }

    @Test
    void retryPutsAFailedCancelledOrDeadLetteredRunBackOnTheQueue() {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "fail twice", 0), 0);
        work();
        Await.until("retry due", () -> retries.enqueueDue() == 1);
        work();   // second failure: dead-lettered (max attempts 2)
        assertThat(runs.findById(id).orElseThrow().status()).isEqualTo("dead_lettered");
        assertThat(Redis.deadLetters()).hasSize(1);

        Run again = postRun("/api/v1/agent/runs/" + id + "/retry", 202);
        assertThat(again.getStatus().getValue()).isEqualTo("queued");
        assertThat(again.getAttempts()).as("attempts are a total").isEqualTo(2);
        assertThat(Redis.entriesLeft()).as("a new entry").isEqualTo(1);
        assertThat(Redis.deadLetters()).as("its dead letter is gone").isEmpty();
        work();   // a fresh round: the failure is retried again instead of dead-lettered
        assertThat(runs.findById(id).orElseThrow().status()).isEqualTo("queued");
        assertThat(runs.findById(id).orElseThrow().attempts()).isEqualTo(3);

        String ok = Messages.newId();
        Redis.enqueue(Messages.api(ok, "fine", 0), 0);
        work();
        assertThat(body(problem(authed(HttpRequest.POST("/api/v1/agent/runs/" + ok + "/retry", "")), 409)).get("detail"))
                .isEqualTo("Only failed, cancelled or dead-lettered runs can be retried; this one is succeeded");
        problem(authed(HttpRequest.POST("/api/v1/agent/runs/nope/retry", "")), 404);
    }

    // ------------------------------------------------------------------ queue

    @Test
    void deadLettersAreListedNewestFirstAndCanBeRequeued() {
        String id = Messages.newId();
        Redis.enqueue(Messages.github(id, "fail hard", 7, true, 3), 3);
        work();
        Await.until("retry due", () -> retries.enqueueDue() == 1);
        work();
        Redis.enqueue("{\"task_id\":\"junk\"}", 0);
        work();

        DeadLetterPage page = blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/dead-letters")), DeadLetterPage.class);
        assertThat(page.getTotal()).isEqualTo(2);
        assertThat(page.getItems()).extracting(d -> d.getTaskId()).containsExactly("junk", id);
        var dl = page.getItems().get(1);
        assertThat(dl.getReason()).isEqualTo("runner failed 2 times: exit code 1: boom");
        assertThat(dl.getAttempts()).isEqualTo(2);
        assertThat(dl.getInputMessage()).isEqualTo("fail hard");
        assertThat(dl.getSourceVendor()).isEqualTo("github");
        assertThat(dl.getFailedAt()).isNotNull();
        assertThat(blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/dead-letters?size=1&page=1")), DeadLetterPage.class)
                .getItems()).extracting(d -> d.getTaskId()).containsExactly(id);

        Run requeued = postRun("/api/v1/agent/dead-letters/" + id + "/requeue", 202);
        assertThat(requeued.getStatus().getValue()).isEqualTo("queued");
        assertThat(requeued.getAttempts()).as("attempts start again").isZero();
        assertThat(TestInfra.redis().xlen("agent:tasks:3")).as("back on its priority stream").isEqualTo(1);
        assertThat(blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/dead-letters")), DeadLetterPage.class)
                .getItems()).extracting(d -> d.getTaskId()).containsExactly("junk");
        problem(authed(HttpRequest.POST("/api/v1/agent/dead-letters/" + id + "/requeue", "")), 404);
        assertThat(invalidNames("POST /api/v1/agent/dead-letters/junk/requeue")).containsExactly("task_id");
    }

    @Test
    void statsCountQueueDepthInFlightDeadLettersRunsAndCost() {
        String done = Messages.newId();
        Redis.enqueue(Messages.api(done, "fine", 0), 0);
        work();
        Redis.enqueue("{\"broken\":true}", 0);
        work();
        Redis.enqueue(Messages.api(Messages.newId(), "waiting", 0), 0);
        Redis.enqueue(Messages.api(Messages.newId(), "waiting too", 7), 7);
        queue.readNew("someone", TaskStreams.stream(7)).orElseThrow();   // taken, not acked

        Stats s = blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/stats")), Stats.class);
        assertThat(s.getQueueDepth()).isEqualTo(1);
        assertThat(s.getInFlight()).isEqualTo(1);
        assertThat(s.getDeadLetterCount()).isEqualTo(1);
        assertThat(s.getRunsByStatus()).containsEntry("succeeded", 1L);
        assertThat(s.getTotalCostUsd()).isEqualByComparingTo("0");
        assertThat(s.getWorkers()).as("consumers seen in the last minute").isEqualTo(2);
    }

    // ------------------------------------------------------------------ helpers

    private void work() {
        Optional<QueueEntry> entry = Optional.empty();
        for (String stream : TaskStreams.BY_PRIORITY_DESC) {
            entry = queue.readNew(WORKER, stream);
            if (entry.isPresent()) {
                break;
            }
        }
        processor.process(new Lease(entry.orElseThrow(() -> new AssertionError("nothing queued")), WORKER));
    }

    private BlockingHttpClient blocking() {
        return http.toBlocking();
    }

    private static <T> MutableHttpRequest<T> authed(MutableHttpRequest<T> r) {
        return r.bearerAuth(TOKEN);
    }

    private Run postRun(String path, int status) {
        HttpResponse<Run> r = blocking().exchange(authed(HttpRequest.POST(path, "")), Run.class);
        assertThat(r.getStatus().getCode()).isEqualTo(status);
        return r.body();
    }

    private RunsPage list(String query) {
        return blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/runs" + query)), RunsPage.class);
    }

    private LogPage logs(String id, String query) {
        return blocking().retrieve(authed(HttpRequest.GET("/api/v1/agent/runs/" + id + "/logs" + query)), LogPage.class);
    }

    private static List<String> ids(RunsPage page) {
        return page.getItems().stream().map(Run::getTaskId).toList();
    }

    private HttpClientResponseException problem(HttpRequest<?> request, int status) {
        HttpClientResponseException e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> blocking().exchange(request, String.class));
        assertThat(e.getStatus().getCode()).isEqualTo(status);
        assertThat(e.getResponse().getContentType().map(Object::toString)).hasValue("application/problem+json");
        Map<String, Object> b = body(e);
        assertThat(b).containsEntry("status", status).containsKey("title").containsEntry("type", "about:blank");
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpClientResponseException e) {
        return e.getResponse().getBody(Argument.mapOf(String.class, Object.class)).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private List<String> invalidNames(String target) {
        HttpRequest<?> r = target.startsWith("POST ") ? HttpRequest.POST(target.substring(5), "") : HttpRequest.GET(target);
        Map<String, Object> b = body(problem(authed((MutableHttpRequest<Object>) r), 400));
        assertThat(b.get("detail")).isNotNull();
        return ((List<Map<String, Object>>) b.get("invalid_params")).stream().map(p -> (String) p.get("name")).toList();
    }
}
