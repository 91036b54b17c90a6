package org.agentplatform.agent.pact;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.agentplatform.agent.answer.AnswerPoster;
import org.agentplatform.agent.answer.AnswerPosters;
import org.agentplatform.agent.answer.AnswerRequest;
import org.agentplatform.agent.answer.Answers;
import org.agentplatform.agent.answer.GithubAnswerPoster;
import org.agentplatform.agent.answer.PostResult;
import org.agentplatform.agent.progress.ProgressText;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.runner.DryRunRunner;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact agent → github-service: the calls the GitHub answer poster makes (the answer on
 * a pull request or an issue, the progress comment and its edit), driven
 * through the real poster and the generated client. The service token the agent sends is not
 * part of the pact (the provider's verification adds its own).
 */
@PactConsumerTest
@PactTestFor(providerName = "github-service")
class GithubServicePactTest {
    private static final String KEY_PATTERN = "task-.+-answer";

    @Pact(consumer = "agent")
    V4Pact answerOnAPullRequest(PactDslWithProvider builder) {
        return builder
                .given("pull request octo/hello#7 exists")
                .uponReceiving("the agent's answer as a comment on pull request octo/hello#7")
                .path("/api/v1/github/pr/octo/hello/7/comment")
                .method("POST")
                .matchHeader("Idempotency-Key", KEY_PATTERN, "task-7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11-answer")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("comment",
                        "Dry run: I would work on:\n\n> @agent please review\n\n<!-- agent-platform:task=7d0c6e8e -->"))
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .integerType("comment_id", 1234567L)
                        .stringType("message", "Comment posted"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact answerOnAnIssue(PactDslWithProvider builder) {
        return builder
                .given("issue octo/hello#8 exists")
                .uponReceiving("the agent's answer as a comment on issue octo/hello#8")
                .path("/api/v1/github/issues/octo/hello/8/comment")
                .method("POST")
                .matchHeader("Idempotency-Key", KEY_PATTERN, "task-7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11-answer")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("body",
                        "Dry run: I would work on:\n\n> @agent triage\n\n<!-- agent-platform:task=7d0c6e8e -->"))
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .integerType("comment_id", 1234568L)
                        .booleanType("dry_run", false)
                        .stringType("message", "Comment posted"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact progressCommentOnAPullRequest(PactDslWithProvider builder) {
        return builder
                .given("pull request octo/hello#7 exists")
                .uponReceiving("the agent's progress comment on pull request octo/hello#7")
                .path("/api/v1/github/issues/octo/hello/7/comment")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-progress", "task-7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11-progress")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("body", Answers.progressBody("github", "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11",
                        ProgressText.started("7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11", 1))))
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .integerType("comment_id", 1234567L)
                        .booleanType("dry_run", false)
                        .stringType("message", "Comment posted"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact progressCommentEdited(PactDslWithProvider builder) {
        return builder
                .given("comment 1234567 exists in octo/hello")
                .uponReceiving("the agent's progress comment 1234567 edited in place")
                .path("/api/v1/github/comments/octo/hello/1234567")
                .query("comment_type=issue_comment")
                .method("PATCH")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("body",
                        Answers.progressBody("github", "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11",
                                ProgressText.done("7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11", java.time.Duration.ofSeconds(42)))))
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .integerType("comment_id", 1234567L)
                        .booleanType("dry_run", false)
                        .stringType("message", "Comment updated"))
                .toPact(V4Pact.class);
    }

    @Test
    @PactTestFor(pactMethod = "progressCommentOnAPullRequest")
    void theProgressMessageOfAPullRequestTaskIsAnIssueComment(MockServer mockServer) throws Exception {
        String taskId = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
        try (ApplicationContext ctx = PactContexts.agentCalling("github-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.github(taskId, "@agent please review", 7, true, 0));
            String ref = ctx.getBean(GithubAnswerPoster.class).createProgress(msg, Answers.progressBody("github", taskId, ProgressText.started(taskId, 1)),
                    Answers.progressKey(taskId), msg.getCorrelationId());
            assertThat(ref).isEqualTo("1234567");
        }
    }

    @Test
    @PactTestFor(pactMethod = "progressCommentEdited")
    void theProgressCommentIsEditedInPlace(MockServer mockServer) throws Exception {
        String taskId = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
        try (ApplicationContext ctx = PactContexts.agentCalling("github-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.github(taskId, "@agent please review", 7, true, 0));
            ctx.getBean(GithubAnswerPoster.class).editProgress(msg, "1234567",
                    Answers.progressBody("github", taskId, ProgressText.done(taskId, java.time.Duration.ofSeconds(42))), msg.getCorrelationId());
        }
    }

    @Test
    @PactTestFor(pactMethod = "answerOnAPullRequest")
    void theGithubPosterAnswersAPullRequestTask(MockServer mockServer) throws Exception {
        PostResult result = post(mockServer, Messages.github("t-pr-1", "@agent please review", 7, true, 0), "t-pr-1");
        assertThat(result.posted()).isTrue();
        assertThat(result.reference()).isEqualTo("1234567");
    }

    @Test
    @PactTestFor(pactMethod = "answerOnAnIssue")
    void theGithubPosterAnswersAnIssueTask(MockServer mockServer) throws Exception {
        PostResult result = post(mockServer, Messages.github("t-issue-1", "@agent triage", 8, false, 0), "t-issue-1");
        assertThat(result.posted()).isTrue();
        assertThat(result.reference()).isEqualTo("1234568");
    }

    private static PostResult post(MockServer mockServer, String messageJson, String taskId) throws Exception {
        Map<String, Object> props = new java.util.HashMap<>(TestInfra.properties());
        props.put("agent.consumer-enabled", "false");
        props.put("micronaut.http.services.github-service.url", mockServer.getUrl());
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            TaskQueueMessage msg = ctx.getBean(JsonMapper.class).readValue(messageJson, Argument.of(TaskQueueMessage.class));
            AnswerPoster poster = ctx.getBean(AnswerPosters.class).forVendor("github").orElseThrow();
            return poster.post(new AnswerRequest(taskId, msg,
                    Answers.body("github", taskId, DryRunRunner.answer(msg.getInputMessage()), Answers.MAX_BODY_CHARS),
                    Answers.idempotencyKey(taskId), msg.getCorrelationId()));
        }
    }
}
