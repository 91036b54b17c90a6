package org.agentplatform.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.support.Json;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP surface: the contract's own valid/invalid examples (unpacked from the contracts jar),
 * field-naming problem+json for every kind of bad request, 401/404/405/415, health, metrics and
 * the correlation id. Runs in dry-run (no bot token): nothing may reach the fake Slack.
 */
@MicronautTest(transactional = false)
class ValidationAndProblemsTest extends SlackServiceTestBase {

    private static final Path EXAMPLES = Path.of("target/contracts/examples/openapi/slack-service");
    private static final Map<String, String[]> ENDPOINTS = Map.of(
            "SlackMessageRequest", new String[]{"POST", "/api/v1/slack/messages"},
            "SlackUpdateRequest", new String[]{"PUT", "/api/v1/slack/messages"},
            "SlackReactionRequest", new String[]{"POST", "/api/v1/slack/reactions"},
            "SlackResponseUrlRequest", new String[]{"POST", "/api/v1/slack/response-url"});
    /** The field each invalid example of the contract gets wrong. */
    private static final Map<String, String> INVALID_FIELD = Map.of(
            "SlackMessageRequest/bad-channel.json", "channel",
            "SlackMessageRequest/bad-thread-ts.json", "thread_ts",
            "SlackMessageRequest/empty-text.json", "text",
            "SlackReactionRequest/colons.json", "name",
            "SlackResponseUrlRequest/bad-type.json", "response_type",
            "SlackUpdateRequest/missing-ts.json", "ts");

    @Override
    protected boolean withBotToken() {
        return false;
    }

    @Test
    void everyValidContractExampleIsAccepted() throws IOException {
        List<Path> examples = examples("valid");
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        for (Path example : examples) {
            String[] endpoint = ENDPOINTS.get(example.getParent().getParent().getFileName().toString());
            HttpResponse<String> response = call(endpoint[0], endpoint[1], file(example));
            assertThat(response.statusCode()).as(example + ": " + response.body()).isEqualTo(200);
            JsonNode body = Json.parse(response.body());
            assertThat(body.get("success").asBoolean()).isTrue();
            assertThat(body.get("dry_run").asBoolean()).isTrue();
        }
        assertThat(slack.getAllServeEvents()).isEmpty();
    }

    @Test
    void everyInvalidContractExampleIsRefusedNamingItsField() throws IOException {
        List<Path> examples = examples("invalid");
        assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
        for (Path example : examples) {
            String schema = example.getParent().getParent().getFileName().toString();
            String[] endpoint = ENDPOINTS.get(schema);
            HttpResponse<String> response = call(endpoint[0], endpoint[1], file(example));
            JsonNode problem = assertProblem(response, 400);
            String expected = INVALID_FIELD.get(schema + "/" + example.getFileName());
            assertThat(problem.get("invalid_params")).as(example + ": " + response.body()).isNotNull();
            if (expected != null) {
                assertThat(problem.get("invalid_params").get(0).get("name").asText()).as(example.toString()).isEqualTo(expected);
                assertThat(problem.get("detail").asText()).startsWith(expected + ": ");
            }
        }
        assertThat(slack.getAllServeEvents()).isEmpty();
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\"}"), 400);
        assertThat(names(problem)).containsExactly("text");
        problem = assertProblem(call("POST", "/api/v1/slack/reactions", "{}"), 400);
        assertThat(names(problem)).containsExactlyInAnyOrder("channel", "name", "timestamp");
        problem = assertProblem(call("POST", "/api/v1/slack/response-url", "{\"text\":\"hi\"}"), 400);
        assertThat(names(problem)).containsExactly("response_url");
    }

    @Test
    void tooLongTextIsRefused() {
        String text = "x".repeat(40001);
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages",
                "{\"channel\":\"C0123456789\",\"text\":\"" + text + "\"}"), 400);
        assertThat(names(problem)).containsExactly("text");
    }

    @Test
    void malformedJsonAndMissingBodyAreProblems() {
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\": \"C0123456789\", \"text\": "), 400);
        assertThat(problem.get("detail").asText()).containsIgnoringCase("JSON");
        problem = assertProblem(call("POST", "/api/v1/slack/messages", "[1, 2]"), 400);
        assertThat(problem.get("detail").asText()).isNotBlank();
        problem = assertProblem(call("POST", "/api/v1/slack/messages", ""), 400);
        assertThat(problem.get("detail").asText()).isNotBlank();
        problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\": 12, \"text\": {\"a\": 1}}"), 400);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    @Test
    void badHeadersAndQueryValuesAreNamed() {
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages",
                "{\"channel\":\"C0123456789\",\"text\":\"hi\"}", "Idempotency-Key", "not a key!"), 400);
        assertThat(names(problem)).containsExactly("Idempotency-Key");
        problem = assertProblem(call("GET", "/api/v1/slack/calls?size=500", null), 400);
        assertThat(names(problem)).containsExactly("size");
        problem = assertProblem(call("GET", "/api/v1/slack/calls?page=-1", null), 400);
        assertThat(names(problem)).containsExactly("page");
        problem = assertProblem(call("GET", "/api/v1/slack/calls?page=abc", null), 400);
        assertThat(names(problem)).containsExactly("page");
        problem = assertProblem(call("GET", "/api/v1/slack/calls?dry_run=maybe", null), 400);
        assertThat(names(problem)).containsExactly("dry_run");
    }

    @Test
    void responseUrlHostsAreGuarded() {
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"https://evil.example.com/commands/T1/2/x\",\"text\":\"hi\"}"), 400);
        assertThat(names(problem)).containsExactly("response_url");
        assertThat(problem.get("detail").asText()).contains("SLACK_RESPONSE_URL_HOSTS").contains("evil.example.com");
        problem = assertProblem(call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"http://hooks.slack.com/commands/T1/2/x\",\"text\":\"hi\"}"), 400);
        assertThat(problem.get("detail").asText()).contains("https");
        problem = assertProblem(call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"https://user:pw@hooks.slack.com/commands/T1/2/x\",\"text\":\"hi\"}"), 400);
        assertThat(names(problem)).containsExactly("response_url");
        assertThat(slack.getAllServeEvents()).isEmpty();
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypesAreProblems() {
        JsonNode problem = assertProblem(call("GET", "/api/v1/slack/nothing-here", null), 404);
        assertThat(problem.get("detail").asText()).contains("/api/v1/slack/nothing-here");
        assertProblem(call("GET", "/no/such/page", null), 404);
        assertProblem(call("DELETE", "/api/v1/slack/messages", null), 405);
        assertProblem(call("POST", "/api/v1/slack/messages", "hello", "Content-Type", "text/plain"), 415);
    }

    @Test
    void serviceTokensAreRequiredOnTheApi() {
        String body = "{\"channel\":\"C0123456789\",\"text\":\"hi\"}";
        JsonNode problem = assertProblem(send("POST", "/api/v1/slack/messages", body, Map.of()), 401);
        assertThat(problem.get("detail").asText()).contains("service token");
        assertProblem(send("POST", "/api/v1/slack/messages", body, Map.of("Authorization", "Bearer wrong")), 401);
        assertProblem(send("GET", "/api/v1/slack/calls", null, Map.of("Authorization", "Basic Z2F0ZXdheTpndy10ZXN0LXRva2Vu")), 401);
        assertThat(send("POST", "/api/v1/slack/messages", body, Map.of("Authorization", "Bearer " + GATEWAY_TOKEN)).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/v1/slack/calls", null, Map.of("Authorization", "Bearer " + AGENT_TOKEN)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void healthAndMetricsAreOpen() {
        HttpResponse<String> health = send("GET", "/health", null, Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.parse(health.body()).get("status").asText()).isEqualTo("UP");
        call("POST", "/api/v1/slack/reactions", "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}");
        HttpResponse<String> metrics = send("GET", "/prometheus", null, Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("slack_calls_total").contains("operation=\"addSlackReaction\"");
    }

    @Test
    void correlationIdIsEchoedOrCreated() {
        HttpResponse<String> given = call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}",
                "X-Correlation-Id", "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a");
        assertThat(given.headers().firstValue("X-Correlation-Id")).contains("3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a");
        HttpResponse<String> created = call("GET", "/api/v1/slack/calls", null);
        assertThat(created.headers().firstValue("X-Correlation-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
        HttpResponse<String> refused = send("GET", "/api/v1/slack/calls", null, Map.of("X-Correlation-Id", "abc-1"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("X-Correlation-Id")).contains("abc-1");
    }

    // ---- helpers --------------------------------------------------------------------------

    private static List<Path> examples(String kind) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            files.filter(p -> p.toString().endsWith(".json") && p.getParent().getFileName().toString().equals(kind))
                    .sorted().forEach(found::add);
        }
        return found;
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = Json.parse(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).isEqualTo("about:blank");
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        return problem;
    }

    static List<String> names(JsonNode problem) {
        List<String> names = new ArrayList<>();
        JsonNode params = problem.get("invalid_params");
        if (params != null) {
            params.forEach(p -> names.add(p.get("name").asText()));
        }
        return names;
    }
}
