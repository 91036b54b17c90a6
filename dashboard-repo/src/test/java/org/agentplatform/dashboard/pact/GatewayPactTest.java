package org.agentplatform.dashboard.pact;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.dsl.PactDslWithProvider;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.dashboard.client.gateway.api.TasksApi;
import org.agentplatform.dashboard.client.gateway.model.DeliveriesPage;
import org.agentplatform.dashboard.model.TaskSummary;
import org.agentplatform.dashboard.upstream.TaskViews;
import org.junit.jupiter.api.Test;

import static org.agentplatform.dashboard.pact.PactSupport.RFC3339;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer pact dashboard → gateway: a task no agent has picked up yet (getTask) and the
 * webhook deliveries a task's history starts with (listDeliveries, GitHub ones).
 */
@PactConsumerTest
@PactTestFor(providerName = "gateway")
class GatewayPactTest {
    static final String TASK = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";

    @Pact(consumer = "dashboard")
    V4Pact aTask(PactDslWithProvider builder) {
        return builder
                .given("task " + TASK + " exists")
                .uponReceiving("a request for task " + TASK)
                .path("/api/v1/tasks/" + TASK)
                .method("GET")
                .willRespondWith()
                .status(200)
                .body(task())
                .toPact(V4Pact.class);
    }

    private static PactDslJsonBody task() {
        PactDslJsonBody task = new PactDslJsonBody()
                        .stringValue("task_id", TASK)
                        .stringMatcher("status", "accepted|queued", "queued")
                        .stringType("input_message", "please review")
                        .stringType("user_id", "octocat")
                        .integerType("priority", 0)
                        .stringType("model", "default")
                        .stringType("agent_type", "coding")
                        .stringMatcher("correlation_id", PactSupport.ID, "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a")
                        .stringMatcher("created_at", RFC3339, "2026-11-26T10:00:00Z");
        task.object("source").stringMatcher("vendor", PactSupport.VENDOR, "github").closeObject();
        return task;
    }

    @Pact(consumer = "dashboard")
    V4Pact deliveries(PactDslWithProvider builder) {
        PactDslJsonBody page = new PactDslJsonBody();
        page.minArrayLike("items", 1)
                .integerType("id", 1L)
                .stringValue("vendor", "github")
                .stringType("delivery_id", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
                .stringMatcher("outcome", "task_created|ignored|duplicate|pong", "task_created")
                .stringMatcher("received_at", RFC3339, "2026-11-26T10:00:00Z")
                .closeObject().closeArray();
        page.integerType("page", 0).integerType("size", 50).integerType("total", 1L);
        return builder
                .given("a delivery has been received")
                .uponReceiving("a page of GitHub webhook deliveries")
                .path("/api/v1/deliveries")
                .method("GET")
                .matchQuery("page", "\\d+", "0")
                .matchQuery("size", "\\d+", "50")
                .matchQuery("vendor", "github", "github")
                .willRespondWith()
                .status(200)
                .body(page)
                .toPact(V4Pact.class);
    }

    @Test
    @PactTestFor(pactMethod = "aTask")
    void aTaskTheGatewayAcceptedIsShownAsQueued(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("gateway", mock)) {
            TaskSummary t = TaskViews.summary(ctx.getBean(TasksApi.class).getTask(TASK));
            assertThat(t.getTaskId()).isEqualTo(TASK);
            assertThat(t.getStatus()).isEqualTo(TaskSummary.StatusEnum.QUEUED);
            assertThat(t.getCorrelationId()).isNotBlank();
        }
    }

    @Test
    @PactTestFor(pactMethod = "deliveries")
    void theDeliveriesAreReadable(MockServer mock) {
        try (ApplicationContext ctx = PactSupport.context("gateway", mock)) {
            DeliveriesPage page = ctx.getBean(TasksApi.class).listDeliveries(0, 50, "github", null);
            assertThat(page.getItems()).isNotEmpty();
            assertThat(page.getItems().get(0).getReceivedAt()).isNotNull();
        }
    }
}
