package org.agentplatform.gateway.task;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tasks API (service token), deliveries listing, and the open operational endpoints. */
@MicronautTest(transactional = false)
class TasksApiTest extends GatewayTestSupport {

    private static final String MINIMAL = "{\"input_message\":\"Summarise the open bugs\",\"user_id\":\"deploy-bot\"}";

    @Test
    void withoutTokenIs401ProblemAndNothingIsCreated() {
        Response r = api("POST", "/api/v1/tasks", MINIMAL, null, Map.of());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(r.json()).containsEntry("detail", "A valid service token is required");
        assertThat(api("POST", "/api/v1/tasks", MINIMAL, "wrong-token", Map.of()).status()).isEqualTo(401);
        assertThat(api("GET", "/api/v1/deliveries", null, null, Map.of()).status()).isEqualTo(401);
        assertThat(taskCount()).isZero();
    }

    @Test
    void createThenGet() {
        Response created = api("POST", "/api/v1/tasks", MINIMAL, API_TOKEN, Map.of("X-Correlation-Id", "corr-api-1"));

        assertThat(created.status()).isEqualTo(202);
        Map<String, Object> task = created.json();
        String taskId = (String) task.get("task_id");
        assertThat(task).containsEntry("status", "accepted").containsEntry("input_message", "Summarise the open bugs")
                .containsEntry("user_id", "deploy-bot").containsEntry("priority", 0).containsEntry("model", "default")
                .containsEntry("agent_type", "coding").containsEntry("correlation_id", "corr-api-1")
                .containsEntry("source", Map.of("vendor", "api"))
                .containsEntry("session_id", "api:" + taskId);
        assertThat((String) task.get("created_at")).matches("^\\d{4}-\\d\\d-\\d\\dT.*Z$");
        assertThat(created.header("X-Correlation-Id")).isEqualTo("corr-api-1");

        await("enqueued", Duration.ofSeconds(10), () -> streamLength("agent:tasks:0") == 1);
        TaskQueueMessage m = parseMessage(entries("agent:tasks:0").get(0).getBody().get("message"));
        assertThat(m.getTaskId()).isEqualTo(taskId);
        assertThat(m.getSource().getVendor()).isEqualTo(TaskSource.Vendor.API);
        assertThat(m.getCorrelationId()).isEqualTo("corr-api-1");

        await("queued", Duration.ofSeconds(5), () -> "queued".equals(
                api("GET", "/api/v1/tasks/" + taskId, null, API_TOKEN, Map.of()).json().get("status")));
        Response got = api("GET", "/api/v1/tasks/" + taskId, null, "agent-token", Map.of());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).containsEntry("task_id", taskId).containsEntry("created_at", task.get("created_at"));
        assertThat(got.json().get("enqueued_at")).isNotNull();
        assertThat(reactionRequests()).as("API tasks have no comment to react to").isEmpty();
    }

    @Test
    void fullRequestGoesToItsPriorityStream() {
        String body = """
                {"input_message": "Fix the flaky test", "user_id": "ada", "session_id": "github:octo/hello#7",
                 "model": "big", "agent_type": "coding", "priority": 5, "timeout_seconds": 600, "max_cost_usd": 2.5,
                 "source": {"vendor": "github", "url": "https://github.com/octo/hello/pull/7#issuecomment-1234567",
                            "github": {"owner": "octo", "repo": "hello", "number": 7, "comment_id": 1234567,
                                       "comment_type": "issue_comment", "is_pull_request": true}}}""";
        Response r = api("POST", "/api/v1/tasks", body, API_TOKEN, Map.of());
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("priority", 5).containsEntry("session_id", "github:octo/hello#7");
        assertThat(r.json().get("source")).isEqualTo(Map.of("vendor", "github",
                "url", "https://github.com/octo/hello/pull/7#issuecomment-1234567",
                "github", Map.of("owner", "octo", "repo", "hello", "number", 7, "comment_id", 1234567,
                        "comment_type", "issue_comment", "is_pull_request", true)));
        await("enqueued on agent:tasks:5", Duration.ofSeconds(10), () -> streamLength("agent:tasks:5") == 1);
        TaskQueueMessage m = parseMessage(entries("agent:tasks:5").get(0).getBody().get("message"));
        assertThat(m.getTimeoutSeconds()).isEqualTo(600L);
        assertThat(m.getMaxCostUsd()).isEqualTo(2.5);
        assertThat(m.getSource().getGithub().getCommentId()).isEqualTo(1234567L);
    }

    @Test
    void priorityAboveNineGoesToStreamNine() {
        api("POST", "/api/v1/tasks", "{\"input_message\":\"x\",\"user_id\":\"u\",\"priority\":1000}", API_TOKEN, Map.of());
        await("enqueued on agent:tasks:9", Duration.ofSeconds(10), () -> streamLength("agent:tasks:9") == 1);
    }

    @Test
    void idempotencyKeyReturnsTheTaskCreatedFirst() {
        Map<String, String> key = Map.of("Idempotency-Key", "deploy-bot-4711");
        Response first = api("POST", "/api/v1/tasks", MINIMAL, API_TOKEN, key);
        Response second = api("POST", "/api/v1/tasks", MINIMAL, API_TOKEN, key);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("task_id")).isEqualTo(first.json().get("task_id"));
        assertThat(taskCount()).isEqualTo(1);
        stays("enqueued once", Duration.ofMillis(800), () -> streamLength("agent:tasks:0") <= 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal", "full"})
    void contractsValidExamplesAreAccepted(String name) throws IOException {
        Response r = api("POST", "/api/v1/tasks", example("valid/" + name), API_TOKEN, Map.of());
        assertThat(r.status()).isEqualTo(202);
    }

    @Test
    void contractsInvalidExamplesAre400NamingTheField() throws IOException {
        assertInvalid(example("invalid/empty-input"), "input_message");
        assertInvalid(example("invalid/missing-user"), "user_id");
        assertInvalid(example("invalid/priority-too-high"), "priority");
        Response badVendor = api("POST", "/api/v1/tasks", example("invalid/bad-source-vendor"), API_TOKEN, Map.of());
        assertThat(badVendor.status()).isEqualTo(400);
        assertThat(badVendor.contentType()).startsWith("application/problem+json");
        assertThat(taskCount()).isZero();
    }

    @Test
    void badIdempotencyKeyIs400NamingTheHeader() {
        Response r = api("POST", "/api/v1/tasks", MINIMAL, API_TOKEN, Map.of("Idempotency-Key", "no spaces allowed"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(paramNames(r))
                .containsExactly("Idempotency-Key");
    }

    private void assertInvalid(String body, String field) {
        Response r = api("POST", "/api/v1/tasks", body, API_TOKEN, Map.of());
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(paramNames(r)).as(body).containsExactly(field);
        assertThat((String) r.json().get("detail")).startsWith(field + ": ");
    }

    private static String example(String name) throws IOException {
        try (InputStream in = TasksApiTest.class.getResourceAsStream(
                "/examples/openapi/gateway/CreateTaskRequest/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void unknownTaskIs404Problem() {
        Response r = api("GET", "/api/v1/tasks/7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11", null, API_TOKEN, Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json()).containsEntry("title", "Not Found")
                .containsEntry("detail", "No task 7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11");
    }

    @Test
    void deliveriesArePagedNewestFirstAndFiltered() {
        deliver("ping", "d-1", GithubPayloads.raw(GithubPayloads.PING));
        deliver("push", "d-2", "{}".getBytes(StandardCharsets.UTF_8));
        deliver("issue_comment", "d-3", GithubPayloads.prComment("@agent go"));

        Response all = api("GET", "/api/v1/deliveries", null, API_TOKEN, Map.of());
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).containsEntry("total", 3).containsEntry("page", 0).containsEntry("size", 50);
        List<Map<String, Object>> items = items(all);
        assertThat(items).extracting(i -> i.get("delivery_id")).containsExactly("d-3", "d-2", "d-1");
        assertThat(items.get(0)).containsEntry("vendor", "github").containsEntry("event", "issue_comment")
                .containsEntry("outcome", "task_created").containsKey("task_id").containsKey("correlation_id");
        assertThat(items.get(1)).containsEntry("outcome", "ignored").containsEntry("reason", "event 'push' does not create tasks");

        Response pongs = api("GET", "/api/v1/deliveries?outcome=pong&vendor=github", null, API_TOKEN, Map.of());
        assertThat(items(pongs)).extracting(i -> i.get("delivery_id")).containsExactly("d-1");
        Response page = api("GET", "/api/v1/deliveries?page=1&size=1", null, API_TOKEN, Map.of());
        assertThat(page.json()).containsEntry("total", 3).containsEntry("page", 1).containsEntry("size", 1);
        assertThat(items(page)).extracting(i -> i.get("delivery_id")).containsExactly("d-2");
        assertThat(items(api("GET", "/api/v1/deliveries?vendor=slack", null, API_TOKEN, Map.of()))).isEmpty();

        Response bad = api("GET", "/api/v1/deliveries?vendor=gitlab", null, API_TOKEN, Map.of());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(paramNames(bad))
                .containsExactly("vendor");
        Response badSize = api("GET", "/api/v1/deliveries?size=0", null, API_TOKEN, Map.of());
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(paramNames(badSize))
                .containsExactly("size");
    }

    @SuppressWarnings("unchecked")
    private static List<String> paramNames(Response r) {
        List<Map<String, Object>> params = (List<Map<String, Object>>) r.json().get("invalid_params");
        return params == null ? List.of() : params.stream().map(p -> (String) p.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Response r) {
        return (List<Map<String, Object>>) r.json().get("items");
    }

    // ---- open operational endpoints and framework errors --------------------------------------

    @Test
    void healthAndPrometheusAreOpenAndReportTheDependencies() {
        Response health = send("GET", "/health", null, Map.of());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json()).containsEntry("status", "UP");
        assertThat(health.body()).contains("\"redis\"").contains("\"jdbc\"");
        Response prometheus = send("GET", "/prometheus", null, Map.of());
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void unknownRouteAndWrongMethodAreProblems() {
        Response missing = api("GET", "/api/v1/nothing-here", null, API_TOKEN, Map.of());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        Response wrongMethod = send("GET", "/webhooks/github", null, Map.of());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
        assertThat(wrongMethod.json()).containsEntry("status", 405);
    }
}
