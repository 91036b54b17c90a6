package org.agentplatform.dashboard.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.dashboard.support.ApiClient;
import org.agentplatform.dashboard.support.Fixtures;
import org.agentplatform.dashboard.support.TestInfra;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.agentplatform.dashboard.support.Fixtures.TASK;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard API through the real HTTP stack, with the agent, gateway and vendor services faked by WireMock. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    ApiClient api;

    @Override
    public Map<String, String> getProperties() {
        return TestInfra.properties();
    }

    @BeforeEach
    void login() {
        TestInfra.reset();
        api = new ApiClient(server.getPort()).login();
    }

    private static void stubJson(com.github.tomakehurst.wiremock.client.MappingBuilder m, int status, String body) {
        TestInfra.wiremock().stubFor(m.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json").withBody(body)));
    }

    @Test
    void theTaskListIsTheAgentsRunsWithTheFiltersPassedOnAndTheServiceToken() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs")), 200, Fixtures.runsPage(Fixtures.run(TASK, "running")));

        HttpResponse<String> r = api.get("/api/v1/dashboard/tasks?status=running&source=github&q=review&since=2026-11-26T00:00:00Z&page=0&size=20");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"task_id\":\"" + TASK + "\"", "\"status\":\"running\"", "\"source_vendor\":\"github\"",
                "\"source_url\":\"https://github.com/octo/hello/issues/7\"", "\"duration_ms\":1250", "\"cost_usd\":0.0123",
                "\"correlation_id\":\"" + Fixtures.CORRELATION + "\"", "\"total\":1");
        TestInfra.wiremock().verify(getRequestedFor(urlPathEqualTo("/api/v1/agent/runs"))
                .withQueryParam("status", equalTo("running"))
                .withQueryParam("source", equalTo("github"))
                .withQueryParam("q", equalTo("review"))
                .withQueryParam("since", WireMock.matching("2026-11-26T00:00(:00)?Z"))
                .withQueryParam("size", equalTo("20"))
                .withHeader("Authorization", equalTo("Bearer " + TestInfra.SERVICE_TOKEN)));
    }

    @Test
    void theCorrelationIdIsEchoedOnEveryLineOfTheRequestAndPassedToTheAgent() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs")), 200, Fixtures.runsPage(Fixtures.run(TASK, "running")));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            HttpResponse<String> r = api.get("/api/v1/dashboard/tasks", Map.of("X-Correlation-Id", "dash-corr-1",
                    "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Correlation-Id")).hasValue("dash-corr-1");
            TestInfra.wiremock().verify(getRequestedFor(urlPathEqualTo("/api/v1/agent/runs"))
                    .withHeader("X-Correlation-Id", equalTo("dash-corr-1")));
            assertThat(lines.list).filteredOn(e -> e.getLoggerName().startsWith("org.agentplatform.dashboard"))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                            .containsEntry("correlation_id", "dash-corr-1")
                            .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"));
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.matches("GET /api/v1/dashboard/tasks -> 200 in \\d+ ms"));
        } finally {
            root.detachAppender(lines);
        }
        // no valid id from the caller: a new one, still echoed
        assertThat(api.get("/api/v1/dashboard/tasks", Map.of("X-Correlation-Id", "not valid!")).headers()
                .firstValue("X-Correlation-Id").orElseThrow()).matches("[0-9a-f-]{36}");
    }

    @Test
    void badFiltersAre400NamingTheParameter() {
        HttpResponse<String> status = api.get("/api/v1/dashboard/tasks?status=exploded");
        assertThat(status.statusCode()).isEqualTo(400);
        assertThat(status.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        assertThat(status.body()).contains("\"name\":\"status\"").contains("must be one of");

        HttpResponse<String> size = api.get("/api/v1/dashboard/tasks?size=500");
        assertThat(size.statusCode()).isEqualTo(400);
        assertThat(size.body()).contains("\"name\":\"size\"");

        HttpResponse<String> order = api.get("/api/v1/dashboard/tasks?since=2026-11-27T00:00:00Z&until=2026-11-26T00:00:00Z");
        assertThat(order.statusCode()).isEqualTo(400);
        assertThat(order.body()).contains("\"name\":\"since\"");

        HttpResponse<String> id = api.get("/api/v1/dashboard/tasks/bad%20id!");
        assertThat(id.statusCode()).isEqualTo(400);
        assertThat(id.body()).contains("\"name\":\"task_id\"");
        TestInfra.wiremock().verify(0, getRequestedFor(urlPathEqualTo("/api/v1/agent/runs")));
    }

    @Test
    void theDetailJoinsTheRunItsLogTheWebhookDeliveryAndItsOutboundCalls() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + TASK)), 200, Fixtures.run(TASK, "running"));
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/logs")), 200, Fixtures.logPage(TASK, 2, false));
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/deliveries")), 200, """
                {"items":[{"id":1,"vendor":"github","event":"issue_comment","delivery_id":"72d3162e","outcome":"task_created",
                 "task_id":"%s","received_at":"2026-11-26T09:59:59Z"}],"page":0,"size":50,"total":1}""".formatted(TASK));
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/github/calls")), 200, Fixtures.callsPage(5, "2026-11-26T10:00:03Z", true));

        HttpResponse<String> r = api.get("/api/v1/dashboard/tasks/" + TASK);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"input_message\":\"@agent please review\"", "\"text\":\"line 1\"", "\"next_offset\":2",
                "\"status\":\"received\"", "delivery 72d3162e", "\"message\":\"attempt 1\"",
                "\"service\":\"github-service\"", "\"dry_run\":true", "Dry run: I would work on");
        // the received entry comes first, then the agent's history
        assertThat(r.body().indexOf("\"received\"")).isLessThan(r.body().indexOf("\"status\":\"queued\""));
        TestInfra.wiremock().verify(getRequestedFor(urlPathEqualTo("/api/v1/github/calls"))
                .withQueryParam("correlation_id", equalTo(Fixtures.CORRELATION)));
    }

    @Test
    void aTaskNoAgentHasYetComesFromTheGatewayAsQueued() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + TASK)), 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No run " + TASK + "\"}");
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/tasks/" + TASK)), 200, """
                {"task_id":"%s","status":"queued","input_message":"please review","user_id":"octocat","priority":0,"model":"default",
                 "agent_type":"coding","correlation_id":"%s","source":{"vendor":"github","url":"https://github.com/octo/hello/pull/7"},
                 "created_at":"2026-11-26T10:00:00Z","enqueued_at":"2026-11-26T10:00:00.010Z"}""".formatted(TASK, Fixtures.CORRELATION));
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/deliveries")), 500, "{}");
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/github/calls")), 200, Fixtures.emptyPage());

        HttpResponse<String> r = api.get("/api/v1/dashboard/tasks/" + TASK);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"queued\"", "\"input_message\":\"please review\"", "no agent has picked it up yet",
                "\"source_url\":\"https://github.com/octo/hello/pull/7\"", "\"lines\":[]");
    }

    @Test
    void anUnknownTaskIs404() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/nope")), 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No run nope\"}");
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/tasks/nope")), 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No task nope\"}");
        HttpResponse<String> r = api.get("/api/v1/dashboard/tasks/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("Not found at gateway");
    }

    @Test
    void logsArePagedFromTheAgent() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/logs")), 200, Fixtures.logPage(TASK, 3, true));
        HttpResponse<String> r = api.get("/api/v1/dashboard/tasks/" + TASK + "/logs?offset=0");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"complete\":true", "\"text\":\"line 2\"");
        assertThat(api.get("/api/v1/dashboard/tasks/" + TASK + "/logs?offset=-1").statusCode()).isEqualTo(400);
    }

    @Test
    void cancelRetryAndRequeueAreCallsToTheAgent() {
        stubJson(post(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/cancel")), 202, Fixtures.run(TASK, "cancelled"));
        stubJson(post(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/retry")), 202, Fixtures.run(TASK, "queued"));
        stubJson(post(urlPathEqualTo("/api/v1/agent/dead-letters/" + TASK + "/requeue")), 202, Fixtures.run(TASK, "queued"));

        HttpResponse<String> cancel = api.action("POST", "/api/v1/dashboard/tasks/" + TASK + "/cancel");
        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(cancel.body()).contains("\"status\":\"cancelled\"", "Cancellation requested");
        assertThat(api.action("POST", "/api/v1/dashboard/tasks/" + TASK + "/retry").body()).contains("\"status\":\"queued\"", "Queued again");
        HttpResponse<String> requeue = api.action("POST", "/api/v1/dashboard/dead-letters/" + TASK + "/requeue");
        assertThat(requeue.statusCode()).isEqualTo(202);
        assertThat(requeue.body()).contains("Requeued");

        TestInfra.wiremock().verify(postRequestedFor(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/cancel"))
                .withHeader("Authorization", equalTo("Bearer " + TestInfra.SERVICE_TOKEN)));
    }

    @Test
    void theAgentsConflictPassesThroughAndItsFailureIsABadGateway() {
        stubJson(post(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/cancel")), 409,
                "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"The task already finished\"}");
        HttpResponse<String> conflict = api.action("POST", "/api/v1/dashboard/tasks/" + TASK + "/cancel");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("The task already finished");

        stubJson(post(urlPathEqualTo("/api/v1/agent/runs/" + TASK + "/retry")), 503, "{\"title\":\"Service Unavailable\",\"status\":503}");
        HttpResponse<String> down = api.action("POST", "/api/v1/dashboard/tasks/" + TASK + "/retry");
        assertThat(down.statusCode()).isEqualTo(502);
        assertThat(down.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        assertThat(down.body()).contains("agent answered 503");

        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/runs")), 401, "{\"title\":\"Unauthorized\",\"status\":401}");
        assertThat(api.get("/api/v1/dashboard/tasks").body()).contains("check SERVICE_TOKEN");
    }

    @Test
    void theQueueViewIsTheAgentsStatsAndDeadLetters() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/stats")), 200,
                "{\"queue_depth\":3,\"in_flight\":1,\"dead_letter_count\":1,\"runs_by_status\":{\"running\":1},\"total_cost_usd\":0.42,\"workers\":2}");
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/agent/dead-letters")), 200, """
                {"items":[{"task_id":"%s","reason":"runner failed 3 times","attempts":3,"failed_at":"2026-11-26T10:05:00Z",
                 "input_message":"@agent fix it","source_vendor":"github"}],"page":0,"size":20,"total":1}""".formatted(TASK));

        HttpResponse<String> r = api.get("/api/v1/dashboard/queue?size=20");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"queue_depth\":3", "\"in_flight\":1", "\"dead_letter_count\":1", "\"reason\":\"runner failed 3 times\"",
                "\"input_message\":\"@agent fix it\"");
        TestInfra.wiremock().verify(getRequestedFor(urlPathEqualTo("/api/v1/agent/dead-letters")).withQueryParam("size", equalTo("20")));
    }

    @Test
    void callsAreMergedNewestFirstAcrossServicesAndADownServiceIsLeftOut() {
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/github/calls")), 200, Fixtures.callsPage(1, "2026-11-26T10:00:00Z", true));
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/slack/calls")), 200, Fixtures.callsPage(2, "2026-11-26T11:00:00Z", false));
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/jira/calls")), 200, Fixtures.emptyPage());
        stubJson(WireMock.get(urlPathEqualTo("/api/v1/sentry/calls")), 500, "{}");

        HttpResponse<String> r = api.get("/api/v1/dashboard/calls");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"total\":2");
        assertThat(r.body().indexOf("\"service\":\"slack-service\"")).isLessThan(r.body().indexOf("\"service\":\"github-service\"")).isPositive();

        HttpResponse<String> onlyGithubDry = api.get("/api/v1/dashboard/calls?service=github-service&dry_run=true");
        assertThat(onlyGithubDry.body()).contains("github-service").doesNotContain("slack-service");
        TestInfra.wiremock().verify(getRequestedFor(urlPathEqualTo("/api/v1/github/calls")).withQueryParam("dry_run", equalTo("true")));
    }

    @Test
    void healthCoversEveryServiceAndRedisWithLatency() {
        Fixtures.healthUp();
        HttpResponse<String> up = api.get("/api/v1/dashboard/health");
        assertThat(up.statusCode()).isEqualTo(200);
        for (String name : new String[] {"gateway", "agent", "github-service", "jira-service", "slack-service", "sentry-service", "redis"}) {
            assertThat(up.body()).contains("\"name\":\"" + name + "\"");
        }
        assertThat(up.body()).doesNotContain("\"status\":\"down\"").contains("\"latency_ms\":");

        TestInfra.wiremock().stubFor(WireMock.get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"DOWN\"}")));
        HttpResponse<String> down = api.get("/api/v1/dashboard/health");
        assertThat(down.body()).contains("\"status\":\"down\"", "GET /health answered 503 DOWN");
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        HttpResponse<String> missing = api.get("/api/v1/dashboard/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
    }
}
