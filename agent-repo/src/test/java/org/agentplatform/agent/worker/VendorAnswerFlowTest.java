package org.agentplatform.agent.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.agent.progress.ProgressMessageEntity;
import org.agentplatform.agent.progress.ProgressMessageRepository;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunRepository;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers and progress messages for every vendor, through the real worker pool and the generated
 * clients, with one WireMock playing slack-, jira-, sentry- and github-service (their responses
 * are the contracts' examples). The command runner lets each test shape the run: chatty, slow,
 * failing once, failing always.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VendorAnswerFlowTest implements TestPropertyProvider {
    static final String PROGRESS_TS = "1700000001.000200";
    static final String ANSWER_TS = "1700000002.000300";
    static final double INTERVAL_SECONDS = 0.3;
    private WireMockServer vendors;
    private Path marks;

    @Inject RunRepository runs;
    @Inject ProgressMessageRepository progress;
    @Inject TaskQueue queue;

    @Override
    public Map<String, String> getProperties() {
        vendors = new WireMockServer(0);
        vendors.start();
        try {
            marks = Files.createTempDirectory("agent-marks-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> p = TestInfra.properties();
        for (String service : List.of("github-service", "slack-service", "jira-service", "sentry-service")) {
            p.put("micronaut.http.services." + service + ".url", vendors.baseUrl());
        }
        p.put("agent.runner", "command");
        p.put("agent.workers", "2");
        p.put("agent.max-attempts", "2");
        p.put("agent.progress-interval-seconds", String.valueOf(INTERVAL_SECONDS));
        p.put("agent.progress-lines", "3");
        p.put("agent.command", """
                case "$AGENT_INPUT" in
                  chatty*) i=1; while [ $i -le 40 ]; do echo "step $i"; i=$((i+1)); sleep 0.05; done; echo "All 40 steps done." ;;
                  fail-once*) if [ -f "%1$s/$AGENT_TASK_ID" ]; then echo "Second try worked."; else touch "%1$s/$AGENT_TASK_ID"; echo "flaky" >&2; exit 2; fi ;;
                  fail*) echo "broken" >&2; exit 3 ;;
                  *) echo "reading the code"; sleep 0.8; echo "The answer to: $AGENT_INPUT" ;;
                esac""".formatted(marks));
        return p;
    }

    @AfterAll
    void stop() {
        vendors.stop();
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
        queue.ensureGroups();
        vendors.resetAll();
        // slack-service: the progress message and the answer get different ts (Slack's own format)
        vendors.stubFor(post("/api/v1/slack/messages").atPriority(1)
                .withHeader("Idempotency-Key", matching("task-.+-progress"))
                .willReturn(json("{\"success\":true,\"channel\":\"C0123456789\",\"ts\":\"" + PROGRESS_TS
                        + "\",\"dry_run\":false,\"message\":\"Message posted\"}")));
        vendors.stubFor(post("/api/v1/slack/messages").atPriority(2)
                .willReturn(json("{\"success\":true,\"channel\":\"C0123456789\",\"ts\":\"" + ANSWER_TS
                        + "\",\"dry_run\":false,\"message\":\"Message posted\"}")));
        vendors.stubFor(put("/api/v1/slack/messages").willReturn(json("{\"success\":true,\"channel\":\"C0123456789\",\"ts\":\""
                + PROGRESS_TS + "\",\"dry_run\":false,\"message\":\"Message updated\"}")));
        vendors.stubFor(post("/api/v1/slack/response-url").willReturn(json(
                "{\"success\":true,\"dry_run\":false,\"message\":\"Reply sent\"}")));
        // jira-service
        vendors.stubFor(post("/api/v1/jira/issues/PROJ-123/comments").atPriority(1)
                .withHeader("Idempotency-Key", matching("task-.+-progress"))
                .willReturn(json("{\"success\":true,\"comment_id\":\"10042\",\"dry_run\":false,\"message\":\"Comment added\"}")));
        vendors.stubFor(post("/api/v1/jira/issues/PROJ-123/comments").atPriority(2)
                .willReturn(json("{\"success\":true,\"comment_id\":\"10043\",\"dry_run\":false,\"message\":\"Comment added\"}")));
        vendors.stubFor(put("/api/v1/jira/issues/PROJ-123/comments/10042").willReturn(json(
                "{\"success\":true,\"comment_id\":\"10042\",\"dry_run\":false,\"message\":\"Comment updated\"}")));
        // sentry-service
        vendors.stubFor(post("/api/v1/sentry/issues/1234567890/notes").willReturn(json(
                "{\"success\":true,\"note_id\":\"4321\",\"dry_run\":false,\"message\":\"Note added\"}")));
        // github-service
        vendors.stubFor(post("/api/v1/github/issues/octo/hello/7/comment").willReturn(json(
                "{\"success\":true,\"comment_id\":1234567,\"dry_run\":false,\"message\":\"Comment posted\"}")));
        vendors.stubFor(post("/api/v1/github/pr/octo/hello/7/comment").willReturn(json(
                "{\"success\":true,\"comment_id\":1234999,\"message\":\"Comment posted\"}")));
        vendors.stubFor(patch(urlPathEqualTo("/api/v1/github/comments/octo/hello/1234567")).willReturn(json(
                "{\"success\":true,\"comment_id\":1234567,\"dry_run\":false,\"message\":\"Comment updated\"}")));
    }

    @Test
    void aSlackThreadTaskGetsOneProgressReplyEditedInPlaceThenTheAnswerAsANewReply() {
        String id = Messages.newId();
        Redis.enqueue(Messages.slackThread(id, "summarise this thread"), 0);
        RunEntity run = awaitAnswered(id);
        Await.until("progress final", () -> progressOf(id).map(p -> "final".equals(p.state())).orElse(false));

        assertThat(run.answerRef()).isEqualTo(ANSWER_TS);
        // the progress reply: in the thread, with the progress key and the short task id
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/slack/messages"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-progress"))
                .withHeader("X-Correlation-Id", equalTo("corr-" + id))
                .withHeader("Authorization", equalTo("Bearer agent-token"))
                .withRequestBody(matchingJsonPath("$.channel", equalTo("C0123456789")))
                .withRequestBody(matchingJsonPath("$.thread_ts", equalTo("1700000000.000100")))
                .withRequestBody(matchingJsonPath("$.text", containing("⏳ Working on it… (task " + id.substring(0, 8) + ")")))
                .withRequestBody(matchingJsonPath("$.text", notContaining("<!--"))));
        // the answer: a new reply in the same thread, with the answer key; no HTML comment (Slack would show it)
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/slack/messages"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer"))
                .withRequestBody(matchingJsonPath("$.thread_ts", equalTo("1700000000.000100")))
                .withRequestBody(matchingJsonPath("$.text", containing("The answer to: summarise this thread")))
                .withRequestBody(matchingJsonPath("$.text", notContaining("<!--"))));
        vendors.verify(2, postRequestedFor(urlEqualTo("/api/v1/slack/messages")));

        List<ServeEvent> edits = requests("PUT", "/api/v1/slack/messages");
        assertThat(edits).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getRequest().getHeader("Idempotency-Key")).as("edits carry no idempotency key").isNull();
            assertThat(e.getRequest().getBodyAsString()).contains("\"ts\":\"" + PROGRESS_TS + "\"").contains("C0123456789");
        });
        assertThat(edits).as("while running, the message shows the last lines")
                .anyMatch(e -> e.getRequest().getBodyAsString().contains("reading the code"));
        ServeEvent last = edits.get(edits.size() - 1);
        assertThat(last.getRequest().getBodyAsString()).contains("✅ Done in ").contains("answer below");
        ServeEvent answer = requests("POST", "/api/v1/slack/messages").stream()
                .filter(e -> ("task-" + id + "-answer").equals(e.getRequest().getHeader("Idempotency-Key"))).findFirst().orElseThrow();
        assertThat(last.getRequest().getLoggedDate()).as("the final edit comes after the answer")
                .isAfterOrEqualTo(answer.getRequest().getLoggedDate());
        assertThat(progressOf(id).orElseThrow().ref()).isEqualTo(PROGRESS_TS);
    }

    @Test
    void aSlashCommandIsAnsweredThroughItsResponseUrlInChannelWithoutAProgressMessage() {
        String id = Messages.newId();
        Redis.enqueue(Messages.slackSlashCommand(id, "fix the flaky test"), 0);
        awaitAnswered(id);

        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/slack/response-url"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer"))
                .withHeader("X-Correlation-Id", equalTo("corr-" + id))
                .withRequestBody(matchingJsonPath("$.response_url", equalTo("https://hooks.slack.com/commands/T0001/1234/abcd")))
                .withRequestBody(matchingJsonPath("$.response_type", equalTo("in_channel")))
                .withRequestBody(matchingJsonPath("$.text", containing("The answer to: fix the flaky test")))
                .withRequestBody(matchingJsonPath("$.text", notContaining("<!--"))));
        vendors.verify(0, postRequestedFor(urlEqualTo("/api/v1/slack/messages")));
        vendors.verify(0, putRequestedFor(urlEqualTo("/api/v1/slack/messages")));
        assertThat(progressOf(id)).isEmpty();
    }

    @Test
    void aJiraTaskGetsAProgressCommentEditedToDoneAndTheAnswerAsANewComment() {
        String id = Messages.newId();
        Redis.enqueue(Messages.jiraIssue(id, "Checkout fails for EU users"), 0);
        RunEntity run = awaitAnswered(id);
        Await.until("progress final", () -> progressOf(id).map(p -> "final".equals(p.state())).orElse(false));

        assertThat(run.answerRef()).isEqualTo("10043");
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/jira/issues/PROJ-123/comments"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-progress"))
                .withRequestBody(matchingJsonPath("$.body", containing("⏳ Working on it…")))
                .withRequestBody(matchingJsonPath("$.body", notContaining("<!--"))));
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/jira/issues/PROJ-123/comments"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer"))
                .withHeader("Authorization", equalTo("Bearer agent-token"))
                .withRequestBody(matchingJsonPath("$.body", containing("The answer to: Checkout fails for EU users")))
                .withRequestBody(matchingJsonPath("$.body", notContaining("<!--"))));
        List<ServeEvent> edits = requests("PUT", "/api/v1/jira/issues/PROJ-123/comments/10042");
        assertThat(edits).isNotEmpty();
        assertThat(edits.get(edits.size() - 1).getRequest().getBodyAsString()).contains("✅ Done in ");
        assertThat(edits).allSatisfy(e -> assertThat(e.getRequest().getBodyAsString()).doesNotContain("<!--"));
        assertThat(progressOf(id).orElseThrow().ref()).isEqualTo("10042");
    }

    @Test
    void aSentryTaskIsAnsweredWithOneNoteAndNoProgress() {
        String id = Messages.newId();
        Redis.enqueue(Messages.sentryIssue(id, "Triage: TypeError: Cannot read properties of undefined"), 0);
        RunEntity run = awaitAnswered(id);

        assertThat(run.answerRef()).isEqualTo("4321");
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/sentry/issues/1234567890/notes"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer"))
                .withHeader("X-Correlation-Id", equalTo("corr-" + id))
                .withHeader("Authorization", equalTo("Bearer agent-token"))
                .withRequestBody(matchingJsonPath("$.text", containing("The answer to: Triage: TypeError")))
                .withRequestBody(matchingJsonPath("$.text", notContaining("<!--"))));
        assertThat(vendors.getAllServeEvents()).hasSize(1);
        assertThat(progressOf(id)).isEmpty();
    }

    @Test
    void aChattyRunEditsTheProgressMessageAtMostOncePerIntervalShowingTheLastLines() {
        String id = Messages.newId();
        long t0 = System.nanoTime();
        Redis.enqueue(Messages.slackThread(id, "chatty please"), 0);
        awaitAnswered(id);
        Await.until("progress final", () -> progressOf(id).map(p -> "final".equals(p.state())).orElse(false));
        double seconds = (System.nanoTime() - t0) / 1e9;

        List<ServeEvent> edits = requests("PUT", "/api/v1/slack/messages");
        List<ServeEvent> running = edits.stream().filter(e -> e.getRequest().getBodyAsString().contains("step ")).toList();
        // 40+ lines in about 2 s: one edit per interval at most (+1 start slack), then the final edit
        assertThat(running).as("edits while running").isNotEmpty();
        assertThat(running.size()).isLessThanOrEqualTo((int) Math.ceil(seconds / INTERVAL_SECONDS) + 1);
        for (int i = 1; i < running.size(); i++) {
            long gap = running.get(i).getRequest().getLoggedDate().getTime() - running.get(i - 1).getRequest().getLoggedDate().getTime();
            assertThat(gap).as("time between two edits").isGreaterThanOrEqualTo((long) (INTERVAL_SECONDS * 1000) - 20);
        }
        // each running edit shows at most the last 3 lines (AGENT_PROGRESS_LINES), and an elapsed time
        String body = running.get(running.size() - 1).getRequest().getBodyAsString();
        assertThat(body.split("step ", -1).length - 1).isBetween(1, 3);
        assertThat(body).containsPattern("— \\d+ s");
        assertThat(edits.get(edits.size() - 1).getRequest().getBodyAsString()).contains("✅ Done in ");
        assertThat(progressOf(id).orElseThrow().edits()).isEqualTo(edits.size());
    }

    @Test
    void aRetriedTaskReusesItsProgressMessageAndSaysSo() {
        String id = Messages.newId();
        Redis.enqueue(Messages.slackThread(id, "fail-once then work"), 0);
        RunEntity run = awaitAnswered(id);
        Await.until("progress final", () -> progressOf(id).map(p -> "final".equals(p.state())).orElse(false));

        assertThat(run.attempts()).isEqualTo(2);
        List<ServeEvent> creates = requests("POST", "/api/v1/slack/messages").stream()
                .filter(e -> ("task-" + id + "-progress").equals(e.getRequest().getHeader("Idempotency-Key"))).toList();
        assertThat(creates).as("one progress message for both attempts").hasSize(1);
        vendors.verify(2, postRequestedFor(urlEqualTo("/api/v1/slack/messages")));
        List<String> texts = requests("PUT", "/api/v1/slack/messages").stream().map(e -> e.getRequest().getBodyAsString()).toList();
        assertThat(texts).allMatch(t -> t.contains(PROGRESS_TS));
        assertThat(texts).anyMatch(t -> t.contains("Attempt 1 failed (exit code 2: flaky)"));
        assertThat(texts).anyMatch(t -> t.contains("attempt 2"));
        assertThat(texts.get(texts.size() - 1)).contains("✅ Done in ");
    }

    @Test
    void aTaskThatKeepsFailingEndsWithAFailedProgressMessage() {
        String id = Messages.newId();
        Redis.enqueue(Messages.jiraIssue(id, "fail always"), 0);
        Await.until("dead-lettered", Duration.ofSeconds(20),
                () -> runs.findById(id).map(r -> "dead_lettered".equals(r.status())).orElse(false));
        Await.until("progress final", () -> progressOf(id).map(p -> "final".equals(p.state())).orElse(false));

        List<ServeEvent> edits = requests("PUT", "/api/v1/jira/issues/PROJ-123/comments/10042");
        assertThat(edits.get(edits.size() - 1).getRequest().getBodyAsString())
                .contains("❌ Failed: runner failed 2 times: exit code 3: broken");
        vendors.verify(0, postRequestedFor(urlEqualTo("/api/v1/jira/issues/PROJ-123/comments"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer")));
    }

    @Test
    void aFailingProgressMessageNeverFailsTheTask() {
        vendors.stubFor(post("/api/v1/jira/issues/PROJ-123/comments").atPriority(0)
                .withHeader("Idempotency-Key", matching("task-.+-progress"))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"The database is unavailable\"}")));
        String id = Messages.newId();
        try (LogCapture capture = new LogCapture()) {
            Redis.enqueue(Messages.jiraIssue(id, "progress down"), 0);
            RunEntity run = awaitAnswered(id);

            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.attempts()).isEqualTo(1);
            vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/jira/issues/PROJ-123/comments"))
                    .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer")));
            vendors.verify(0, putRequestedFor(urlPathMatching("/api/v1/jira/.*")));
            assertThat(progressOf(id)).isEmpty();
            List<ILoggingEvent> warnings = capture.events().stream()
                    .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("Progress message of task " + id))
                    .toList();
            assertThat(warnings).isNotEmpty().allSatisfy(e -> {
                assertThat(e.getFormattedMessage()).contains("corr-" + id).contains("503");
                assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", "corr-" + id);
            });
        }
    }

    @Test
    void aGithubPullRequestTaskGetsAProgressCommentThenTheAnswerThenTheDoneEdit() {
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "@agent please review this change"), 0);
        RunEntity run = awaitAnswered(id);
        Await.until("progress final", () -> progressOf(id).map(p -> "final".equals(p.state())).orElse(false));

        assertThat(run.answerRef()).isEqualTo("1234999");
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/github/issues/octo/hello/7/comment"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-progress"))
                .withRequestBody(matchingJsonPath("$.body", containing("⏳ Working on it… (task " + id.substring(0, 8) + ")")))
                .withRequestBody(matchingJsonPath("$.body", containing("<!-- agent-platform:progress=" + id + " -->"))));
        vendors.verify(1, postRequestedFor(urlEqualTo("/api/v1/github/pr/octo/hello/7/comment"))
                .withHeader("Idempotency-Key", equalTo("task-" + id + "-answer")));
        vendors.verify(patchRequestedFor(urlEqualTo("/api/v1/github/comments/octo/hello/1234567?comment_type=issue_comment"))
                .withHeader("Idempotency-Key", absent()));
        List<ServeEvent> edits = requests("PATCH", "/api/v1/github/comments/octo/hello/1234567");
        assertThat(edits.get(edits.size() - 1).getRequest().getBodyAsString()).contains("✅ Done in ");
    }

    private RunEntity awaitAnswered(String id) {
        Await.until("task " + id + " answered", Duration.ofSeconds(20),
                () -> runs.findById(id).map(RunEntity::answerPosted).orElse(false));
        return runs.findById(id).orElseThrow();
    }

    private java.util.Optional<ProgressMessageEntity> progressOf(String id) {
        return progress.findById(id);
    }

    /** The requests WireMock got for a method and path (query ignored), oldest first. */
    private List<ServeEvent> requests(String method, String path) {
        return vendors.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().value().equals(method))
                .filter(e -> e.getRequest().getUrl().split("\\?")[0].equals(path))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
    }

    private static ResponseDefinitionBuilder json(String body) {
        return WireMock.aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
