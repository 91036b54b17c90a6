package org.agentplatform.sentry;

import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.sentry.support.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.agentplatform.sentry.support.TestSupport.AGENT_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.GATEWAY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.list;
import static org.agentplatform.sentry.support.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP contract around the operations: validation errors naming the field, malformed JSON,
 * unknown routes and methods as problem+json, service tokens, correlation id, health and metrics.
 * Runs in dry-run (no Sentry needed); nothing here reaches the vendor.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper mapper;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestSupport.baseProperties("contract");
        p.put("sentry.api-url", "http://127.0.0.1:9/api/0"); // never called: dry-run
        p.put("sentry.auth-token", "");
        return p;
    }

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private HttpResponse<String> send(String method, String path, String body, String... extraHeaders) {
        String[] headers = new String[extraHeaders.length + 2];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + AGENT_TOKEN;
        System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
        return TestSupport.send(method, url(path), body, headers);
    }

    /** Asserts a problem+json answer and returns the names in invalid_params. */
    private List<String> problem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        Map<String, Object> p = TestSupport.json(mapper, r.body());
        assertEquals(status, ((Number) p.get("status")).intValue());
        assertTrue(p.get("title") instanceof String);
        assertTrue(p.get("detail") instanceof String && !((String) p.get("detail")).isBlank(), r.body());
        assertFalse(r.body().contains("Exception"), "no Java internals in: " + r.body());
        if (!p.containsKey("invalid_params")) {
            return List.of();
        }
        return list(p.get("invalid_params")).stream().map(o -> (String) map(o).get("name")).toList();
    }

    private void assertNamed(HttpResponse<String> r, String field) {
        List<String> names = problem(r, 400);
        assertTrue(names.contains(field), "expected " + field + " in " + r.body());
        assertTrue(((String) TestSupport.json(mapper, r.body()).get("detail")).contains(field), r.body());
    }

    @Test
    void noteTextIsValidated() {
        assertNamed(send("POST", "/api/v1/sentry/issues/1/notes", "{\"text\": \"\"}"), "text");
        assertNamed(send("POST", "/api/v1/sentry/issues/1/notes", "{\"text\": \"   \"}"), "text");
        assertNamed(send("POST", "/api/v1/sentry/issues/1/notes", "{}"), "text");
        assertNamed(send("POST", "/api/v1/sentry/issues/1/notes", "{\"text\": \"" + "x".repeat(16001) + "\"}"),
                "text");
        assertEquals(200, send("POST", "/api/v1/sentry/issues/1/notes",
                "{\"text\": \"" + "x".repeat(16000) + "\"}").statusCode());
    }

    @Test
    void updateIsValidated() {
        HttpResponse<String> empty = send("PUT", "/api/v1/sentry/issues/1", "{}");
        List<String> names = problem(empty, 400);
        assertTrue(names.contains("status") && names.contains("assigned_to"), empty.body());
        assertNamed(send("PUT", "/api/v1/sentry/issues/1", "{\"status\": \"closed\"}"), "status");
        assertNamed(send("PUT", "/api/v1/sentry/issues/1", "{\"assigned_to\": \"\"}"), "assigned_to");
        assertNamed(send("PUT", "/api/v1/sentry/issues/1", "{\"assigned_to\": \"" + "u".repeat(201) + "\"}"),
                "assigned_to");
        assertEquals(200, send("PUT", "/api/v1/sentry/issues/1", "{\"status\": \"ignored\"}").statusCode());
    }

    @Test
    void pathAndHeadersAreValidated() {
        assertNamed(send("GET", "/api/v1/sentry/issues/abc", null), "issue_id");
        assertNamed(send("GET", "/api/v1/sentry/issues/123456789012345678901", null), "issue_id");
        assertNamed(send("POST", "/api/v1/sentry/issues/1/notes", "{\"text\": \"x\"}",
                "Idempotency-Key", "has spaces"), "Idempotency-Key");
        assertNamed(send("GET", "/api/v1/sentry/issues/1", null, "X-Correlation-Id", "a/b"), "X-Correlation-Id");
    }

    @Test
    void malformedOrMissingBodyIsA400() {
        List<String> names = problem(send("POST", "/api/v1/sentry/issues/1/notes", "{\"text\": "), 400);
        assertEquals(List.of("body"), names);
        problem(send("POST", "/api/v1/sentry/issues/1/notes", null), 400);
        problem(send("PUT", "/api/v1/sentry/issues/1", "[1, 2]"), 400);
    }

    @Test
    void callsQueryIsValidated() {
        assertNamed(send("GET", "/api/v1/sentry/calls?size=0", null), "size");
        assertNamed(send("GET", "/api/v1/sentry/calls?size=201", null), "size");
        assertNamed(send("GET", "/api/v1/sentry/calls?page=-1", null), "page");
        assertNamed(send("GET", "/api/v1/sentry/calls?size=ten", null), "size");
        assertNamed(send("GET", "/api/v1/sentry/calls?dry_run=maybe", null), "dry_run");
        Map<String, Object> defaults = TestSupport.json(mapper, send("GET", "/api/v1/sentry/calls", null).body());
        assertEquals(0, defaults.get("page"));
        assertEquals(50, defaults.get("size"));
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        problem(send("GET", "/api/v1/sentry/nope", null), 404);
        problem(send("GET", "/nope", null), 404);
        problem(send("DELETE", "/api/v1/sentry/issues/1", null), 405);
    }

    @Test
    void serviceTokenIsRequiredOnApiOnly() {
        HttpResponse<String> none = TestSupport.send("GET", url("/api/v1/sentry/calls"), null);
        problem(none, 401);
        HttpResponse<String> wrong = TestSupport.send("GET", url("/api/v1/sentry/calls"), null,
                "Authorization", "Bearer not-a-token");
        problem(wrong, 401);
        HttpResponse<String> basic = TestSupport.send("GET", url("/api/v1/sentry/calls"), null,
                "Authorization", "Basic " + GATEWAY_TOKEN);
        problem(basic, 401);
        assertEquals(200, TestSupport.send("GET", url("/api/v1/sentry/calls"), null,
                "Authorization", "Bearer " + GATEWAY_TOKEN).statusCode());
        HttpResponse<String> note = TestSupport.send("POST", url("/api/v1/sentry/issues/1/notes"),
                "{\"text\": \"no token\"}");
        problem(note, 401);
        HttpResponse<String> health = TestSupport.send("GET", url("/health"), null);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("UP"), health.body());
        HttpResponse<String> metrics = TestSupport.send("GET", url("/prometheus"), null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "prometheus text format");
    }

    @Test
    void correlationIdIsEchoedOrCreatedAndStored() {
        HttpResponse<String> given = send("POST", "/api/v1/sentry/issues/42/notes", "{\"text\": \"c\"}",
                "X-Correlation-Id", "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a");
        assertEquals("3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a", given.headers().firstValue("X-Correlation-Id").orElse(""));
        Map<String, Object> calls = TestSupport.json(mapper,
                send("GET", "/api/v1/sentry/calls?correlation_id=3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a", null).body());
        assertEquals(1, ((Number) calls.get("total")).intValue());

        HttpResponse<String> created = send("POST", "/api/v1/sentry/issues/42/notes", "{\"text\": \"d\"}");
        String id = created.headers().firstValue("X-Correlation-Id").orElse("");
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        Map<String, Object> byGenerated = TestSupport.json(mapper,
                send("GET", "/api/v1/sentry/calls?correlation_id=" + id, null).body());
        assertEquals(1, ((Number) byGenerated.get("total")).intValue());

        HttpResponse<String> unauthorized = TestSupport.send("GET", url("/api/v1/sentry/calls"), null,
                "X-Correlation-Id", "cid-401");
        assertEquals("cid-401", unauthorized.headers().firstValue("X-Correlation-Id").orElse(""));
    }
}
