package org.agentplatform.gateway.pact.consumer;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.gateway.client.slack.model.SlackResult;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.slack.SlackReaction;
import org.agentplatform.gateway.support.TestInfra;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact gateway → slack-service: the reaction on the Slack message that mentioned the
 * agent, driven through the gateway's real {@link SlackReaction} and the generated slack-service
 * client against the Pact mock server. Writes target/pacts/gateway-slack-service.json. No
 * Authorization in the pact (the provider's verification adds its own token).
 */
@PactConsumerTest
@PactTestFor(providerName = "slack-service", pactVersion = PactSpecVersion.V4)
class SlackServiceReactionPactTest {

    static final String TASK_ID = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
    static final String CORRELATION_ID = "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a";
    static final String CHANNEL = "C0123456789";
    static final String TS = "1700000000.000100";

    @Pact(consumer = "gateway", provider = "slack-service")
    V4Pact eyesReactionOnTheMention(PactDslWithProvider builder) {
        return builder
                .given("channel C0123456789 exists")
                .uponReceiving("add an eyes reaction to the mentioning Slack message")
                .method("POST")
                .path("/api/v1/slack/reactions")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .matchHeader("Idempotency-Key", "^task-[A-Za-z0-9-]{1,100}-reaction$",
                        EyesReaction.taskIdempotencyKey(TASK_ID))
                .matchHeader("X-Correlation-Id", "^[A-Za-z0-9._:-]{1,64}$", CORRELATION_ID)
                .body(new PactDslJsonBody()
                        .stringValue("channel", CHANNEL)
                        .stringMatcher("timestamp", "^[0-9]{1,16}\\.[0-9]{1,8}$", TS)
                        .stringValue("name", "eyes"))
                .willRespondWith()
                .status(200)
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody()
                        .booleanValue("success", true)
                        .booleanType("dry_run", false)
                        .stringType("message", "Reaction added"))
                .toPact(V4Pact.class);
    }

    @Test
    void theGatewayAddsTheReactionThroughTheGeneratedClient(MockServer mockServer) {
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("micronaut.http.services.slack-service.url", mockServer.getUrl());
        props.put("gateway.auth.service-token", "a-token-the-pact-does-not-record");
        props.put("gateway.outbox.relay-enabled", "false");
        // the pact mock server can be slow on a loaded build box; 3 s (production) is too tight here
        props.put("micronaut.http.services.slack-service.read-timeout", "15s");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            SlackResult result = ctx.getBean(SlackReaction.class).react(CHANNEL, TS,
                    EyesReaction.taskIdempotencyKey(TASK_ID), CORRELATION_ID);

            assertThat(result.getSuccess()).isTrue();
            assertThat(result.getDryRun()).isNotNull();
            assertThat(result.getMessage()).isNotBlank();
        }
    }
}
