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
import org.agentplatform.gateway.client.github.model.ReactionResult;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.support.TestInfra;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact gateway → github-service: the "eyes" reaction, driven through the gateway's real
 * {@link EyesReaction} and the generated github-service client against the Pact mock server.
 * Writes target/pacts/gateway-github-service.json. The Authorization header is not part of the
 * pact (the provider's verification adds its own token).
 */
@PactConsumerTest
@PactTestFor(providerName = "github-service", pactVersion = PactSpecVersion.V4)
class GithubServiceReactionPactTest {

    static final String DELIVERY_ID = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    static final String CORRELATION_ID = "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a";

    @Pact(consumer = "gateway", provider = "github-service")
    V4Pact eyesReactionOnAnIssueComment(PactDslWithProvider builder) {
        return builder
                .given("comment 1234567 exists in octo/hello")
                .uponReceiving("an eyes reaction on the comment that asked the agent")
                .method("POST")
                .path("/api/v1/github/comments/octo/hello/1234567/reactions")
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .matchHeader("Idempotency-Key", "^delivery-[A-Za-z0-9-]{1,100}-eyes$",
                        EyesReaction.idempotencyKey(DELIVERY_ID))
                .matchHeader("X-Correlation-Id", "^[A-Za-z0-9._:-]{1,64}$", CORRELATION_ID)
                .body(new PactDslJsonBody()
                        .stringValue("content", "eyes")
                        .stringValue("comment_type", "issue_comment"))
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
    void theGatewayAddsTheEyesReactionThroughTheGeneratedClient(MockServer mockServer) {
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("micronaut.http.services.github-service.url", mockServer.getUrl());
        props.put("gateway.auth.service-token", "a-token-the-pact-does-not-record");
        props.put("gateway.outbox.relay-enabled", "false");
        // the pact mock server can be slow on a loaded build box; 3 s (production) is too tight here
        props.put("micronaut.http.services.github-service.read-timeout", "15s");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            ReactionResult result = ctx.getBean(EyesReaction.class).react("octo", "hello", 1234567L,
                    GithubSource.CommentType.ISSUE_COMMENT, EyesReaction.idempotencyKey(DELIVERY_ID), CORRELATION_ID);

            assertThat(result.getSuccess()).isTrue();
            assertThat(result.getDryRun()).isNotNull();
            assertThat(result.getMessage()).isNotBlank();
        }
    }
}
