package org.agentplatform.dashboard.pact;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.dashboard.model.DashboardCall;
import org.agentplatform.dashboard.model.DashboardCallsPage;
import org.agentplatform.dashboard.upstream.CallLogs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Consumer pact dashboard → jira-service: its outbound-call log (listJiraCalls), shown on the dashboard. */
@PactConsumerTest
@PactTestFor(providerName = "jira-service")
class JiraServiceCallsPactTest {

    @Pact(consumer = "dashboard")
    V4Pact recordedCalls(PactDslWithProvider builder) {
        return builder
                .given("an outbound call has been recorded")
                .uponReceiving("a page of jira-service's outbound calls")
                .path("/api/v1/jira/calls")
                .method("GET")
                .matchQuery("page", "\\d+", "0")
                .matchQuery("size", "\\d+", "50")
                .willRespondWith()
                .status(200)
                .body(PactSupport.outboundCalls("https://your-domain.atlassian.net/rest/api/3/issue/PROJ-1/comment", "addJiraComment"))
                .toPact(V4Pact.class);
    }

    @Test
    @PactTestFor(pactMethod = "recordedCalls")
    void theCallLogIsMergedIntoTheDashboardsCalls(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("jira-service", mock)) {
            DashboardCallsPage page = ctx.getBean(CallLogs.class).list("jira-service", null, null, 0, 50);
            assertThat(page.getItems()).isNotEmpty();
            DashboardCall c = page.getItems().get(0);
            assertThat(c.getService()).isEqualTo("jira-service");
            assertThat(c.getOperation()).isNotBlank();
            assertThat(c.getDryRun()).isNotNull();
            assertThat(c.getCreatedAt()).isNotNull();
        }
    }
}
