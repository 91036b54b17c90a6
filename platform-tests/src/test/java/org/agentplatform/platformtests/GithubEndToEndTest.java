package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
 * Issue 3's slice across the three real jars: a signed GitHub issue_comment mentioning @agent
 * leads to an eyes reaction and exactly one answer comment on the fake GitHub; a redelivery adds
 * nothing; an unsigned copy is refused; one correlation id is in all three services' logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GithubEndToEndTest {
    private static final String REPO = "Codertocat/Hello-World";
    private Platform platform;
    private FakeGithub github;

    @BeforeAll
    void start() throws Exception {
        platform = new Platform("github-e2e", List.of(Platform.GITHUB, Platform.AGENT, Platform.GATEWAY),
                Map.of("AGENT_RUNNER", "dry-run"));
        github = new FakeGithub(platform.fakeVendor);
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void mentionIsAnsweredOnceAndRedeliveryAddsNothing() throws Exception {
        long commentId = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);
        byte[] body = Webhooks.githubIssueComment("@agent please fix the spelling in the README", commentId);
        String delivery = UUID.randomUUID().toString();
        String gateway = platform.service(Platform.GATEWAY).url();

        HttpResponse<String> first = Webhooks.sendGithub(gateway, "issue_comment", delivery, body, platform.webhookSecret);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode ack = Webhooks.JSON.readTree(first.body());
        assertThat(ack.path("outcome").asText()).isEqualTo("task_created");
        String taskId = ack.path("task_id").asText();
        String correlationId = ack.path("correlation_id").asText();
        assertThat(taskId).isNotBlank();
        assertThat(correlationId).isNotBlank();

        Await.until("the eyes reaction on comment " + commentId, Duration.ofSeconds(30),
                () -> github.reactionsOn(REPO, commentId).size() == 1);
        assertThat(github.reactionsOn(REPO, commentId).get(0).getBodyAsString()).contains("\"eyes\"");

        Await.until("one answer comment on issue 1", Duration.ofSeconds(30),
                () -> github.commentsOn(REPO, 1).size() >= 1);
        LoggedRequest answer = github.commentsOn(REPO, 1).get(0);
        assertThat(answer.getHeader("Authorization")).startsWith("Bearer ghp_fake_");
        assertThat(answer.getBodyAsString()).contains("please fix the spelling").contains("agent-platform");

        // The same delivery again: the first answer, no second task, nothing more posted.
        HttpResponse<String> again = Webhooks.sendGithub(gateway, "issue_comment", delivery, body, platform.webhookSecret);
        assertThat(again.statusCode()).isEqualTo(202);
        JsonNode againAck = Webhooks.JSON.readTree(again.body());
        assertThat(againAck.path("duplicate").asBoolean()).isTrue();
        assertThat(againAck.path("task_id").asText()).isEqualTo(taskId);

        // An unsigned copy (new delivery id) is refused.
        HttpResponse<String> unsigned = Webhooks.sendGithub(gateway, "issue_comment", UUID.randomUUID().toString(), body, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));

        // The run is finished and its answer posted; then nothing more arrives.
        String agent = platform.service(Platform.AGENT).url();
        Await.until("run " + taskId + " succeeded with its answer posted", Duration.ofSeconds(30), () -> {
            JsonNode run = Webhooks.JSON.readTree(
                    Webhooks.get(agent + "/api/v1/agent/runs/" + taskId, platform.tokenOf(Platform.GATEWAY)).body());
            return "succeeded".equals(run.path("status").asText()) && run.path("answer_posted").asBoolean();
        });
        Thread.sleep(2000); // a window for any duplicate to show up
        assertThat(github.commentsOn(REPO, 1)).hasSize(1);
        assertThat(github.reactionsOn(REPO, commentId)).hasSize(1);

        for (Platform.Service s : List.of(Platform.GATEWAY, Platform.AGENT, Platform.GITHUB)) {
            assertThat(platform.service(s).logText()).as("log of " + s.name()).contains(correlationId);
        }
    }

    @Test
    void otherEventsAreAcceptedButQueueNothing() throws Exception {
        long commentId = ThreadLocalRandom.current().nextLong(10_000_000, 20_000_000);
        byte[] body = Webhooks.githubIssueComment("Thanks, no agent needed here", commentId);
        HttpResponse<String> r = Webhooks.sendGithub(platform.service(Platform.GATEWAY).url(), "issue_comment",
                UUID.randomUUID().toString(), body, platform.webhookSecret);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(Webhooks.JSON.readTree(r.body()).path("outcome").asText()).isEqualTo("ignored");
        Thread.sleep(1000);
        assertThat(github.reactionsOn(REPO, commentId)).isEmpty();
    }
}
