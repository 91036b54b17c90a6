package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the agent while a slow command runner works on a task, then a restart: the task is
 * redelivered after the visibility timeout, finishes, and is answered exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentCrashEndToEndTest {
    private static final String REPO = "Codertocat/Hello-World";
    private Platform platform;
    private FakeGithub github;

    @BeforeAll
    void start() throws Exception {
        platform = new Platform("agent-crash", List.of(Platform.GITHUB, Platform.AGENT, Platform.GATEWAY), Map.of(
                "AGENT_RUNNER", "command",
                "AGENT_COMMAND", "sleep 5; echo \"finished: $AGENT_TASK_ID\"",
                "AGENT_VISIBILITY_TIMEOUT_SECONDS", "4"));
        github = new FakeGithub(platform.fakeVendor);
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void killedAgentsTaskIsRedeliveredAndAnsweredExactlyOnce() throws Exception {
        long commentId = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);
        byte[] body = Webhooks.githubIssueComment("@agent run the slow job", commentId);
        HttpResponse<String> r = Webhooks.sendGithub(platform.service(Platform.GATEWAY).url(), "issue_comment",
                UUID.randomUUID().toString(), body, platform.webhookSecret);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String taskId = Webhooks.JSON.readTree(r.body()).path("task_id").asText();

        ServiceProcess agent = platform.service(Platform.AGENT);
        String token = platform.tokenOf(Platform.GATEWAY);
        Await.until("run " + taskId + " running", Duration.ofSeconds(30), () -> "running".equals(
                Webhooks.JSON.readTree(Webhooks.get(agent.url() + "/api/v1/agent/runs/" + taskId, token).body())
                        .path("status").asText()));

        agent.kill9();
        assertThat(answers(taskId)).as("answers before the crash").isEmpty();
        agent.start();
        agent.awaitHealthy(Duration.ofSeconds(90));

        Await.until("run " + taskId + " succeeded after the restart", Duration.ofSeconds(60), () -> {
            JsonNode run = Webhooks.JSON.readTree(Webhooks.get(agent.url() + "/api/v1/agent/runs/" + taskId, token).body());
            return "succeeded".equals(run.path("status").asText()) && run.path("answer_posted").asBoolean();
        });
        JsonNode run = Webhooks.JSON.readTree(Webhooks.get(agent.url() + "/api/v1/agent/runs/" + taskId, token).body());
        assertThat(run.path("attempts").asInt()).as("attempts").isGreaterThanOrEqualTo(2);
        Thread.sleep(2000);
        assertThat(answers(taskId)).as("answers posted").hasSize(1);
        // The progress comment was created once, before the crash, and reused after it (same Idempotency-Key).
        assertThat(github.commentsOn(REPO, 1)).as("progress comment + answer").hasSize(2);
    }

    /** The answer comments of a task (the progress comment, edited in place, is not one). */
    private java.util.List<com.github.tomakehurst.wiremock.verification.LoggedRequest> answers(String taskId) {
        return github.commentsOn(REPO, 1).stream().filter(r -> r.getBodyAsString().contains("finished: " + taskId)).toList();
    }
}
