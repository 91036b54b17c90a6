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
import org.agentplatform.gateway.client.sentry.api.SentryApi;
import org.agentplatform.gateway.client.sentry.model.SentryIssue;
import org.agentplatform.gateway.sentry.SentryEnrichment;
import org.agentplatform.gateway.support.TestInfra;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact gateway → sentry-service: the issue with its latest event, which the gateway's
 * {@link SentryEnrichment} adds to a triage task. Only the fields the gateway reads are in the
 * pact, with type matchers (the provider maps them from Sentry). Writes
 * target/pacts/gateway-sentry-service.json.
 */
@PactConsumerTest
@PactTestFor(providerName = "sentry-service", pactVersion = PactSpecVersion.V4)
class SentryServiceIssuePactTest {

    static final String CORRELATION_ID = "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a";

    @Pact(consumer = "gateway", provider = "sentry-service")
    V4Pact issueWithLatestEvent(PactDslWithProvider builder) {
        return builder
                .given("sentry issue 1234567890 exists with a latest event")
                .uponReceiving("get sentry issue 1234567890 with its latest event")
                .method("GET")
                .path("/api/v1/sentry/issues/1234567890")
                .matchHeader("X-Correlation-Id", "^[A-Za-z0-9._:-]{1,64}$", CORRELATION_ID)
                .willRespondWith()
                .status(200)
                .matchHeader("Content-Type", "application/json(;.*)?", "application/json")
                .body(new PactDslJsonBody()
                        .stringValue("id", "1234567890")
                        .stringType("title", "TypeError: cannot read properties of undefined (reading 'id')")
                        .object("latest_event")
                            .stringType("event_id", "9fac2ceed9344f2bbfdd1fdacb0ed9b1")
                            .minArrayLike("exceptions", 1)
                                .stringType("type", "TypeError")
                                .stringType("value", "cannot read properties of undefined (reading 'id')")
                                .minArrayLike("frames", 1)
                                    .stringType("filename", "app/checkout.js")
                                    .stringType("function", "submitOrder")
                                    .integerType("lineno", 88)
                                    .booleanType("in_app", true)
                                .closeArray()
                            .closeArray()
                        .closeObject())
                .toPact(V4Pact.class);
    }

    @Test
    void theGatewayReadsTheStackTraceThroughTheGeneratedClient(MockServer mockServer) {
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("micronaut.http.services.sentry-service.url", mockServer.getUrl());
        props.put("gateway.auth.service-token", "a-token-the-pact-does-not-record");
        props.put("gateway.outbox.relay-enabled", "false");
        // the pact mock server can be slow on a loaded build box; 3 s (production) is too tight here
        props.put("micronaut.http.services.sentry-service.read-timeout", "15s");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            SentryIssue issue = ctx.getBean(SentryApi.class).getSentryIssue("1234567890", CORRELATION_ID);

            assertThat(issue.getId()).isEqualTo("1234567890");
            String described = ctx.getBean(SentryEnrichment.class).describe(issue);
            assertThat(described).contains("Exception: TypeError: cannot read properties of undefined (reading 'id')")
                    .contains("at submitOrder (app/checkout.js:88)");
        }
    }
}
