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
import org.agentplatform.agent.answer.PostResult;
import org.agentplatform.agent.answer.SlackAnswerPoster;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.progress.ProgressText;
import org.agentplatform.agent.support.Messages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact agent → slack-service: the progress message in the thread, its edit, the answer
 * as a new thread reply, and the answer to a slash command — each driven through the real
 * {@link SlackAnswerPoster} and the generated client. The provider states are slack-service's:
 * "channel C0123456789 exists" (chat.postMessage answers ts 1700000001.000200) and "a slash
 * command response_url is valid" (https://hooks.slack.com/commands/T0001/1234/abcd accepts it).
 */
@PactConsumerTest
@PactTestFor(providerName = "slack-service")
class SlackServicePactTest {
    static final String TS = "^[0-9]{1,16}\\.[0-9]{1,8}$";
    static final String TASK = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
    static final String RESPONSE_URL = "https://hooks.slack.com/commands/T0001/1234/abcd";

    @Pact(consumer = "agent")
    V4Pact progressMessageInAThread(PactDslWithProvider builder) {
        return builder
                .given("channel C0123456789 exists")
                .uponReceiving("the agent's progress message in a Slack thread")
                .path("/api/v1/slack/messages")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-progress", "task-" + TASK + "-progress")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody()
                        .stringType("channel", "C0123456789")
                        .stringType("text", ProgressText.started(TASK, 1))
                        .stringMatcher("thread_ts", TS, "1700000000.000100"))
                .willRespondWith()
                .status(200)
                .body(messageResult("Message posted"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact progressMessageEdited(PactDslWithProvider builder) {
        return builder
                .given("channel C0123456789 exists")
                .uponReceiving("the agent's progress message in a Slack thread edited in place")
                .path("/api/v1/slack/messages")
                .method("PUT")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody()
                        .stringType("channel", "C0123456789")
                        .stringMatcher("ts", TS, "1700000001.000200")
                        .stringType("text", "⏳ Working on it… (task 7d0c6e8e) — 12 s\n\n```\nreading the code\n```"))
                .willRespondWith()
                .status(200)
                .body(messageResult("Message updated"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact answerInAThread(PactDslWithProvider builder) {
        return builder
                .given("channel C0123456789 exists")
                .uponReceiving("the agent's answer as a new reply in a Slack thread")
                .path("/api/v1/slack/messages")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-answer", "task-" + TASK + "-answer")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody()
                        .stringType("channel", "C0123456789")
                        .stringType("text", "**Summary**: the thread agrees on option B.")
                        .stringMatcher("thread_ts", TS, "1700000000.000100"))
                .willRespondWith()
                .status(200)
                .body(messageResult("Message posted"))
                .toPact(V4Pact.class);
    }

    @Pact(consumer = "agent")
    V4Pact answerToASlashCommand(PactDslWithProvider builder) {
        return builder
                .given("a slash command response_url is valid")
                .uponReceiving("the agent's answer to a Slack slash command")
                .path("/api/v1/slack/response-url")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-answer", "task-" + TASK + "-answer")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody()
                        // the one URL the provider state accepts (the service checks the host)
                        .stringValue("response_url", RESPONSE_URL)
                        .stringType("text", "The flaky test is fixed: see the diff below.")
                        .stringValue("response_type", "in_channel")
                        .booleanType("replace_original", false))
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .booleanType("dry_run", false)
                        .stringType("message", "Reply sent"))
                .toPact(V4Pact.class);
    }

    private static PactDslJsonBody messageResult(String message) {
        return (PactDslJsonBody) new PactDslJsonBody()
                .booleanValue("success", true)
                .stringType("channel", "C0123456789")
                .stringMatcher("ts", TS, "1700000001.000200")
                .booleanType("dry_run", false)
                .stringType("message", message);
    }

    @Test
    @PactTestFor(pactMethod = "progressMessageInAThread")
    void theProgressMessageIsPostedInTheThreadAndItsTsKept(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("slack-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.slackThread(TASK, "summarise this thread"));
            String ts = ctx.getBean(SlackAnswerPoster.class).createProgress(msg, ProgressText.started(TASK, 1),
                    Answers.progressKey(TASK), msg.getCorrelationId());
            assertThat(ts).isEqualTo("1700000001.000200");
        }
    }

    @Test
    @PactTestFor(pactMethod = "progressMessageEdited")
    void theProgressMessageIsEditedByItsTs(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("slack-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.slackThread(TASK, "summarise this thread"));
            ctx.getBean(SlackAnswerPoster.class).editProgress(msg, "1700000001.000200",
                    "⏳ Working on it… (task 7d0c6e8e) — 12 s\n\n```\nreading the code\n```", msg.getCorrelationId());
        }
    }

    @Test
    @PactTestFor(pactMethod = "answerInAThread")
    void theAnswerIsANewReplyInTheThread(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("slack-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.slackThread(TASK, "summarise this thread"));
            PostResult r = ctx.getBean(SlackAnswerPoster.class).post(new AnswerRequest(TASK, msg,
                    Answers.body("slack", TASK, "**Summary**: the thread agrees on option B.",
                            ctx.getBean(SlackAnswerPoster.class).maxBodyChars()), Answers.idempotencyKey(TASK),
                    msg.getCorrelationId()));
            assertThat(r.posted()).isTrue();
            assertThat(r.reference()).isEqualTo("1700000001.000200");
        }
    }

    @Test
    @PactTestFor(pactMethod = "answerToASlashCommand")
    void aSlashCommandIsAnsweredThroughItsResponseUrl(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("slack-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.slackSlashCommand(TASK, "fix the flaky test"));
            assertThat(msg.getSource().getSlack().getResponseUrl()).isEqualTo(RESPONSE_URL);
            PostResult r = ctx.getBean(SlackAnswerPoster.class).post(new AnswerRequest(TASK, msg,
                    Answers.body("slack", TASK, "The flaky test is fixed: see the diff below.",
                            ctx.getBean(SlackAnswerPoster.class).maxBodyChars()), Answers.idempotencyKey(TASK),
                    msg.getCorrelationId()));
            assertThat(r.posted()).isTrue();
            assertThat(r.description()).contains("slash command answered in C0123456789");
        }
    }
}
