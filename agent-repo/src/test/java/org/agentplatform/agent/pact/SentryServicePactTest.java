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
import org.agentplatform.agent.answer.SentryAnswerPoster;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.support.Messages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact agent → sentry-service: the answer as a note on the Sentry issue, driven through
 * the real {@link SentryAnswerPoster}. Provider state: "sentry issue 1234567890 exists with a latest event".
 */
@PactConsumerTest
@PactTestFor(providerName = "sentry-service")
class SentryServicePactTest {
    static final String TASK = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
    static final String ANSWER = "Likely cause: `order.customer` is undefined for guest checkouts.";

    @Pact(consumer = "agent")
    V4Pact answerNote(PactDslWithProvider builder) {
        return builder
                .given("sentry issue 1234567890 exists with a latest event")
                .uponReceiving("the agent's answer as a note on Sentry issue 1234567890")
                .path("/api/v1/sentry/issues/1234567890/notes")
                .method("POST")
                .matchHeader("Idempotency-Key", "task-.+-answer", "task-" + TASK + "-answer")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody().stringType("text", ANSWER))
                .willRespondWith()
                .status(200)
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .stringMatcher("note_id", "^[0-9]+$", "4321")
                        .booleanType("dry_run", false)
                        .stringType("message", "Note added"))
                .toPact(V4Pact.class);
    }

    @Test
    @PactTestFor(pactMethod = "answerNote")
    void theAnswerIsANoteOnTheIssue(MockServer mockServer) throws Exception {
        try (ApplicationContext ctx = PactContexts.agentCalling("sentry-service", mockServer.getUrl())) {
            TaskQueueMessage msg = PactContexts.message(ctx, Messages.sentryIssue(TASK, "Triage: TypeError"));
            SentryAnswerPoster poster = ctx.getBean(SentryAnswerPoster.class);
            PostResult r = poster.post(new AnswerRequest(TASK, msg, Answers.body("sentry", TASK, ANSWER, poster.maxBodyChars()),
                    Answers.idempotencyKey(TASK), msg.getCorrelationId()));
            assertThat(r.posted()).isTrue();
            assertThat(r.reference()).isEqualTo("4321");
        }
    }
}
