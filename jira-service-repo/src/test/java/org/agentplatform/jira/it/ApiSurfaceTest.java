package org.agentplatform.jira.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Validation, problem+json, service tokens, correlation, health and metrics (dry-run mode); the
 * last test stops the database.
 */
@MicronautTest(transactional = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiSurfaceTest extends ServiceTestBase {

    /** The contracts' own request examples, unpacked from the contracts artifact. */
    private static final Path EXAMPLES = Path.of("target/contracts/examples/openapi/jira-service");

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of("datasources.default.connection-timeout", "1000");
    }

    private static void assertProblem(Answer answer, int status, String field) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        Map<String, Object> problem = answer.json();
        assertEquals(status, problem.get("status"));
        assertNotNull(problem.get("title"));
        assertEquals("about:blank", problem.get("type"));
        if (field != null) {
            List<?> params = (List<?>) problem.get("invalid_params");
            assertNotNull(params, "invalid_params missing: " + answer.body());
            assertTrue(params.stream().anyMatch(p -> field.equals(((Map<?, ?>) p).get("name"))),
                    "no invalid_params entry named " + field + ": " + answer.body());
            assertTrue(problem.get("detail").toString().contains(field), answer.body());
        }
        assertTrue(!answer.body().contains("Exception") && !answer.body().contains("at org."), "leaks internals: " + answer.body());
    }

    @Test
    void contractExamples_validPassInvalidNameTheField() throws Exception {
        String valid = Files.readString(EXAMPLES.resolve("JiraCommentRequest/valid/markdown.json"));
        assertEquals(200, apiPost("/api/v1/jira/issues/PROJ-1/comments", valid).status());
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments",
                Files.readString(EXAMPLES.resolve("JiraCommentRequest/invalid/empty.json"))), 400, "body");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments",
                Files.readString(EXAMPLES.resolve("JiraCommentRequest/invalid/too-long.json"))), 400, "body");
        assertEquals(200, apiPost("/api/v1/jira/issues/PROJ-1/transitions",
                Files.readString(EXAMPLES.resolve("JiraTransitionRequest/valid/by-name.json"))).status());
        assertEquals(200, apiPost("/api/v1/jira/issues/PROJ-1/transitions",
                Files.readString(EXAMPLES.resolve("JiraTransitionRequest/valid/by-id.json"))).status());
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/transitions",
                Files.readString(EXAMPLES.resolve("JiraTransitionRequest/invalid/empty.json"))), 400, "transition");
    }

    @Test
    void bodyEdgeCases() {
        assertEquals(200, apiPost("/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"" + "a".repeat(32767) + "\"}").status());
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"" + "a".repeat(32768) + "\"}"), 400, "body");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"   \"}"), 400, "body");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "{}"), 400, "body");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/transitions", "{}"), 400, "transition");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/transitions", "{\"transition\": \"" + "t".repeat(256) + "\"}"), 400, "transition");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"unterminated"), 400, "body");
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "not json at all"), 400, null);
        assertProblem(call("POST", "/api/v1/jira/issues/PROJ-1/comments", null), 400, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET  | /api/v1/jira/issues/proj-1                  | issue_key",
        "GET  | /api/v1/jira/issues/PROJ-0                  | issue_key",
        "PUT  | /api/v1/jira/issues/PROJ-1/comments/abc     | comment_id",
        "GET  | /api/v1/jira/calls?page=-1                  | page",
        "GET  | /api/v1/jira/calls?size=0                   | size",
        "GET  | /api/v1/jira/calls?size=201                 | size",
    })
    void pathAndQueryValidation_namesTheParameter(String method, String path, String field) {
        String body = method.equals("PUT") ? "{\"body\": \"x\"}" : null;
        assertProblem(call(method, path, body), 400, field);
    }

    @Test
    void headerValidation_namesTheHeader() {
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"x\"}", "Idempotency-Key", "has spaces!"),
                400, "Idempotency-Key");
        assertProblem(apiGet("/api/v1/jira/issues/PROJ-1", "X-Correlation-Id", "x".repeat(65)), 400, "X-Correlation-Id");
    }

    @Test
    void unconvertibleQueryValue_is400ProblemNamingIt() {
        assertProblem(apiGet("/api/v1/jira/calls?page=abc"), 400, "page");
    }

    @Test
    void unknownRouteWrongMethodAndMediaType_areProblems() {
        assertProblem(apiGet("/api/v1/jira/nothing-here"), 404, null);
        assertProblem(apiGet("/nothing-at-all"), 404, null);
        assertProblem(call("DELETE", "/api/v1/jira/calls", null), 405, null);
        Answer xml = call("POST", "/api/v1/jira/issues/PROJ-1/comments", "<body/>", "Content-Type", "application/xml");
        assertProblem(xml, 415, null);
    }

    @Test
    void serviceToken_requiredOnApi() {
        Answer missing = call("GET", "/api/v1/jira/calls", null, "Authorization", "");
        assertProblem(missing, 401, null);
        assertEquals("Bearer", missing.header("WWW-Authenticate"));
        assertProblem(call("GET", "/api/v1/jira/calls", null, "Authorization", "Bearer wrong"), 401, null);
        assertProblem(call("POST", "/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"x\"}", "Authorization", "Basic eDp5"), 401, null);
        assertEquals(200, call("GET", "/api/v1/jira/calls", null, "Authorization", "Bearer gateway-test-token").status());
        assertEquals(200, apiGet("/api/v1/jira/calls").status());
    }

    @Test
    void healthAndPrometheus_areOpen() {
        Answer health = call("GET", "/health", null, "Authorization", "");
        assertEquals(200, health.status(), health.body());
        assertEquals("UP", health.json().get("status"));
        Answer metrics = call("GET", "/prometheus", null, "Authorization", "");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "no JVM metrics in /prometheus");
    }

    @Test
    void correlationId_echoedOrCreated() {
        assertEquals("corr-123", apiGet("/api/v1/jira/calls", "X-Correlation-Id", "corr-123").header("X-Correlation-Id"));
        String created = apiGet("/api/v1/jira/calls").header("X-Correlation-Id");
        assertTrue(created != null && created.matches("[0-9a-f-]{36}"), String.valueOf(created));
        assertNotNull(call("GET", "/api/v1/jira/calls", null, "Authorization", "").header("X-Correlation-Id"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void databaseDown_is503WithRetryAfter_andHealthDown() throws Exception {
        postgres.close();
        postgres = null;
        Answer list = apiGet("/api/v1/jira/calls");
        assertProblem(list, 503, null);
        assertEquals("5", list.header("Retry-After"));
        assertEquals("The database is unavailable; retry later", list.json().get("detail"));
        assertProblem(apiPost("/api/v1/jira/issues/PROJ-1/comments", "{\"body\": \"x\"}"), 503, null);
        assertEquals(503, call("GET", "/health", null, "Authorization", "").status());
    }
}
