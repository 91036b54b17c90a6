package org.agentplatform.agent.pact;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.agent.answer.AnswerRequest;
import org.agentplatform.agent.answer.Answers;
import org.agentplatform.agent.answer.JiraAnswerPoster;
import org.agentplatform.agent.answer.PostResult;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.progress.ProgressText;
import org.agentplatform.agent.support.Messages;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact agent → jira-service: the progress comment, its edit, and the answer comment on
 * PROJ-123, driven through the real {@link JiraAnswerPoster} and the generated client. Provider
 * states: "issue PROJ-123 exists" (a new comment gets id 10042) and "comment 10042 exists on PROJ-123".
 */
@PactConsumerTest
@PactTestFor(providerName = "jira-service")
class JiraServicePactTest {
    static final String TASK = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";

    @Pact(consumer = "agent")
    V4Pact progressComment(PactDslWithProvider builder) {
        return builder
                .given("issue PROJ-123 exists")
                .uponReceiving("the agent's progress comment on Jira issue PROJ-123")
                .path("/api/v1/jira/issues/PROJ-123/comments")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-progress", "task-" + TASK + "-progress")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("body", ProgressText.started(TASK, 1)))
                .willRespondWith()
                .status(200)
                .body(commentResult("Comment added"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact progressCommentEdited(PactDslWithProvider builder) {
        return builder
                .given("comment 10042 exists on PROJ-123")
                .uponReceiving("the agent's progress comment on Jira issue PROJ-123 edited in place")
                .path("/api/v1/jira/issues/PROJ-123/comments/10042")
                .method("PUT")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("body", ProgressText.done(TASK, Duration.ofSeconds(42))))
                .willRespondWith()
                .status(200)
                .body(commentResult("Comment updated"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact answerComment(PactDslWithProvider builder) {
        return builder
                .given("issue PROJ-123 exists")
                .uponReceiving("the agent's answer as a comment on Jira issue PROJ-123")
                .path("/api/v1/jira/issues/PROJ-123/comments")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-answer", "task-" + TASK + "-answer")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("body",
                        "**Done.** The fix is in `checkout.js`: EU VAT ids were parsed as numbers."))
                .willRespondWith()
                .status(200)
                .body(commentResult("Comment added"))
                .toPact(V4Pact.class);
    }

    private static PactDslJsonBody commentResult(String message) {
        return (PactDslJsonBody) new PactDslJsonBody()
                .booleanValue("success", true)
                .stringMatcher("comment_id", "^[0-9]+$", "10042")
                .booleanType("dry_run", false)
                .stringType("message", message);
    }

    @Test
    @PactTestFor(pactMethod = "progressComment")
    void theProgressCommentIsAddedAndItsIdKept(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("jira-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.jiraIssue(TASK, "Checkout fails for EU users"));
            String id = ctx.getBean(JiraAnswerPoster.class).createProgress(msg, ProgressText.started(TASK, 1),
                    Answers.progressKey(TASK), msg.getCorrelationId());
            assertThat(id).isEqualTo("10042");
        }
    }

    @Test
    @PactTestFor(pactMethod = "progressCommentEdited")
    void theProgressCommentIsEditedById(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("jira-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.jiraIssue(TASK, "Checkout fails for EU users"));
            ctx.getBean(JiraAnswerPoster.class).editProgress(msg, "10042", ProgressText.done(TASK, Duration.ofSeconds(42)),
                    msg.getCorrelationId());
        }
    }

    @Test
    @PactTestFor(pactMethod = "answerComment")
    void theAnswerIsANewComment(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("jira-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.jiraIssue(TASK, "Checkout fails for EU users"));
            PostResult r = ctx.getBean(JiraAnswerPoster.class).post(new AnswerRequest(TASK, msg,
                    Answers.body("jira", TASK, "**Done.** The fix is in `checkout.js`: EU VAT ids were parsed as numbers.",
                            ctx.getBean(JiraAnswerPoster.class).maxBodyChars()),
                    Answers.idempotencyKey(TASK), msg.getCorrelationId()));
            assertThat(r.posted()).isTrue();
            assertThat(r.reference()).isEqualTo("10042");
        }
    }
}
