package org.agentplatform.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.agentplatform.slack.support.Json;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.agentplatform.slack.ValidationAndProblemsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code Idempotency-Key}: the first result comes back and Slack is called once, also under concurrency. */
@MicronautTest(transactional = false)
class IdempotencyTest extends SlackServiceTestBase {

    private static final String BODY = "{\"channel\":\"C0123456789\",\"text\":\"the answer\",\"thread_ts\":\"1700000000.000100\"}";

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("slack.idempotency-wait", "1500ms");
    }

    @Test
    void theSameKeyReturnsTheFirstResultAndPostsOnce() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));

        HttpResponse<String> first = call("POST", "/api/v1/slack/messages", BODY, "Idempotency-Key", "task-7d0c6e8e-answer");
        HttpResponse<String> second = call("POST", "/api/v1/slack/messages", BODY, "Idempotency-Key", "task-7d0c6e8e-answer");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(Json.parse(second.body())).isEqualTo(Json.parse(first.body()));
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(rowsWithKey("task-7d0c6e8e-answer")).hasSize(1);
    }

    @Test
    void concurrentDuplicatesPostOnceAndAllGetTheFirstResult() throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))
                .withFixedDelay(400)));
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                Callable<HttpResponse<String>> task = () -> {
                    start.await();
                    return call("POST", "/api/v1/slack/messages", BODY, "Idempotency-Key", "task-concurrent-answer");
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<HttpResponse<String>> future : futures) {
                HttpResponse<String> response = future.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(Json.parse(response.body()).get("ts").asText()).isEqualTo("1503435956.000247");
            }
        } finally {
            pool.shutdownNow();
        }
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(rowsWithKey("task-concurrent-answer")).hasSize(1);
    }

    @Test
    void aDuplicateThatWaitsTooLongGets409AndSlackIsStillCalledOnce() throws Exception {
        slack.stubFor(post("/api/reactions.add").willReturn(okJson(resource("slack/reactions.add.ok.json")).withFixedDelay(3000)));
        String body = "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<HttpResponse<String>> first = pool.submit(() ->
                    call("POST", "/api/v1/slack/reactions", body, "Idempotency-Key", "task-slow-ack"));
            Thread.sleep(500);
            HttpResponse<String> conflict = call("POST", "/api/v1/slack/reactions", body, "Idempotency-Key", "task-slow-ack");
            assertThat(conflict.headers().firstValue("Retry-After")).as("a conflict that passes").contains("1");
            JsonNode problem = assertProblem(conflict, 409);
            assertThat(problem.get("detail").asText()).contains("task-slow-ack").contains("in progress");
            assertThat(first.get().statusCode()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> later = call("POST", "/api/v1/slack/reactions", body, "Idempotency-Key", "task-slow-ack");
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.headers().firstValue("Idempotent-Replayed")).contains("true");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/reactions.add")));
    }

    @Test
    void aFailedCallDoesNotHoldItsKey() {
        slack.stubFor(post("/api/chat.update").inScenario("fix").whenScenarioStateIs("Started")
                .willReturn(okJson(resource("slack/error.channel_not_found.json"))).willSetStateTo("fixed"));
        slack.stubFor(post("/api/chat.update").inScenario("fix").whenScenarioStateIs("fixed")
                .willReturn(okJson(resource("slack/chat.update.ok.json"))));
        String body = "{\"channel\":\"C123ABC456\",\"ts\":\"1401383885.000061\",\"text\":\"done\"}";

        assertProblem(call("PUT", "/api/v1/slack/messages", body, "Idempotency-Key", "task-retry-progress"), 404);
        HttpResponse<String> retried = call("PUT", "/api/v1/slack/messages", body, "Idempotency-Key", "task-retry-progress");

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.update")));
        assertThat(rowsWithKey("task-retry-progress")).extracting(OutboundCallRow::state)
                .containsExactlyInAnyOrder(OutboundCallRow.FAILED, OutboundCallRow.SUCCEEDED);
    }

    @Test
    void keysAreScopedToTheOperation() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        slack.stubFor(post("/api/reactions.add").willReturn(okJson(resource("slack/reactions.add.ok.json"))));
        call("POST", "/api/v1/slack/messages", BODY, "Idempotency-Key", "task-shared-key");
        HttpResponse<String> reaction = call("POST", "/api/v1/slack/reactions",
                "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}",
                "Idempotency-Key", "task-shared-key");
        assertThat(reaction.statusCode()).isEqualTo(200);
        assertThat(Json.parse(reaction.body()).get("message").asText()).isEqualTo("Reaction added");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        slack.verify(1, postRequestedFor(urlEqualTo("/api/reactions.add")));
    }

    @Test
    void withoutAKeyEveryCallIsSent() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        call("POST", "/api/v1/slack/messages", BODY);
        call("POST", "/api/v1/slack/messages", BODY);
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    @Test
    void anAbandonedInFlightCallIsTakenOver() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        // a row left "in flight" by a process that died an hour ago
        callRepository.save(new OutboundCallRow(null, "postSlackMessage", "POST", "http://x/api/chat.postMessage", BODY,
                null, null, null, false, 1, "task-crashed-answer", null, null, OutboundCallRow.IN_FLIGHT, null, null, null,
                java.time.Instant.now().minusSeconds(3600), null, null));
        HttpResponse<String> response = call("POST", "/api/v1/slack/messages", BODY, "Idempotency-Key", "task-crashed-answer");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(rowsWithKey("task-crashed-answer")).extracting(OutboundCallRow::state)
                .containsExactlyInAnyOrder(OutboundCallRow.FAILED, OutboundCallRow.SUCCEEDED);
    }

    private List<OutboundCallRow> rowsWithKey(String key) {
        return StreamSupport.stream(callRepository.findAll().spliterator(), false)
                .filter(r -> key.equals(r.idempotencyKey())).toList();
    }
}
