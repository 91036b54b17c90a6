package org.agentplatform.sentry;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.sentry.support.FakeSentryTest;
import org.agentplatform.sentry.support.TestSupport;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.agentplatform.sentry.support.TestSupport.AGENT_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.GATEWAY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.list;
import static org.agentplatform.sentry.support.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No SENTRY_AUTH_TOKEN: every call is recorded with dry_run=true and answered synthetically; a
 * WireMock at SENTRY_API_URL proves that nothing is sent. Also the calls log's paging and filters.
 */
@MicronautTest(transactional = false)
class DryRunTest extends FakeSentryTest {

    DryRunTest() {
        super("dryrun");
    }

    @Override
    protected void configure(Map<String, String> p) {
        p.put("sentry.auth-token", ""); // dry-run
    }

    private HttpResponse<String> note(String issue, String text, String cid, String key) {
        String body = "{\"text\": \"" + text + "\"}";
        return key == null
                ? TestSupport.send("POST", url("/api/v1/sentry/issues/" + issue + "/notes"), body,
                "Authorization", "Bearer " + AGENT_TOKEN, "X-Correlation-Id", cid)
                : TestSupport.send("POST", url("/api/v1/sentry/issues/" + issue + "/notes"), body,
                "Authorization", "Bearer " + AGENT_TOKEN, "X-Correlation-Id", cid, "Idempotency-Key", key);
    }

    private Map<String, Object> calls(String query) {
        HttpResponse<String> r = TestSupport.send("GET", url("/api/v1/sentry/calls" + query), null,
                "Authorization", "Bearer " + GATEWAY_TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    @Test
    void noteIsRecordedNotSentAndGetsASyntheticId() {
        HttpResponse<String> r = note("1234567890", "dry answer", "cid-dry-note", null);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> result = json(r);
        assertEquals(true, result.get("success"));
        assertEquals(true, result.get("dry_run"));
        assertTrue(((String) result.get("note_id")).startsWith("dry-run-"), r.body());

        List<Object> items = list(calls("?correlation_id=cid-dry-note").get("items"));
        assertEquals(1, items.size());
        Map<String, Object> call = map(items.get(0));
        assertEquals("addSentryNote", call.get("operation"));
        assertEquals("POST", call.get("method"));
        assertEquals(sentry.baseUrl() + "/api/0/issues/1234567890/comments/", call.get("url"));
        assertEquals("{\"text\":\"dry answer\"}", call.get("request_body"));
        assertEquals(true, call.get("dry_run"));
        assertEquals(0, call.get("attempts"));
        assertEquals("dry-run-" + call.get("id"), result.get("note_id"));
        assertEquals(0, sentry.getAllServeEvents().size());
    }

    @Test
    void updateIsRecordedNotSent() {
        HttpResponse<String> r = TestSupport.send("PUT", url("/api/v1/sentry/issues/1234567890"),
                "{\"status\": \"resolved\"}", "Authorization", "Bearer " + AGENT_TOKEN,
                "X-Correlation-Id", "cid-dry-update");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(true, json(r).get("dry_run"));
        Map<String, Object> call = map(list(calls("?correlation_id=cid-dry-update").get("items")).get(0));
        assertEquals("PUT", call.get("method"));
        assertEquals("{\"status\":\"resolved\"}", call.get("request_body"));
        assertEquals(0, sentry.getAllServeEvents().size());
    }

    @Test
    void getIssueAnswersASyntheticIssueMarkedDryRun() {
        HttpResponse<String> r = TestSupport.send("GET", url("/api/v1/sentry/issues/555"), null,
                "Authorization", "Bearer " + GATEWAY_TOKEN, "X-Correlation-Id", "cid-dry-get");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> issue = json(r);
        assertEquals("555", issue.get("id"));
        assertTrue(((String) issue.get("title")).startsWith("[dry-run]"), r.body());
        assertTrue(map(issue.get("latest_event")).get("event_id") instanceof String);
        List<Object> items = list(calls("?correlation_id=cid-dry-get").get("items"));
        assertEquals(2, items.size());
        assertEquals(sentry.baseUrl() + "/api/0/issues/555/events/latest/", map(items.get(0)).get("url"));
        assertEquals(sentry.baseUrl() + "/api/0/issues/555/", map(items.get(1)).get("url"));
        assertEquals(0, sentry.getAllServeEvents().size());
    }

    @Test
    void idempotencyKeyAlsoHoldsInDryRun() {
        HttpResponse<String> first = note("777", "once", "cid-dry-idem", "task-dry-answer");
        HttpResponse<String> second = note("777", "once", "cid-dry-idem", "task-dry-answer");
        assertEquals(json(first).get("note_id"), json(second).get("note_id"));
        assertEquals(1, ((Number) calls("?correlation_id=cid-dry-idem").get("total")).intValue());
        // a different operation may use the same key independently
        HttpResponse<String> update = TestSupport.send("PUT", url("/api/v1/sentry/issues/777"),
                "{\"status\": \"resolved\"}", "Authorization", "Bearer " + AGENT_TOKEN,
                "X-Correlation-Id", "cid-dry-idem", "Idempotency-Key", "task-dry-answer");
        assertEquals(200, update.statusCode(), update.body());
        assertEquals(2, ((Number) calls("?correlation_id=cid-dry-idem").get("total")).intValue());
    }

    @Test
    void callsLogPagesNewestFirstAndFilters() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, note("900", "page " + i, "cid-page-a", null).statusCode());
        }
        assertEquals(200, note("901", "other", "cid-page-b", null).statusCode());

        Map<String, Object> page0 = calls("?correlation_id=cid-page-a&size=2&page=0");
        assertEquals(3, ((Number) page0.get("total")).intValue());
        assertEquals(0, page0.get("page"));
        assertEquals(2, page0.get("size"));
        List<Object> items0 = list(page0.get("items"));
        assertEquals(2, items0.size());
        long newest = ((Number) map(items0.get(0)).get("id")).longValue();
        long next = ((Number) map(items0.get(1)).get("id")).longValue();
        assertTrue(newest > next, "newest first");
        assertEquals("{\"text\":\"page 2\"}", map(items0.get(0)).get("request_body"));

        Map<String, Object> page1 = calls("?correlation_id=cid-page-a&size=2&page=1");
        List<Object> items1 = list(page1.get("items"));
        assertEquals(1, items1.size());
        assertEquals("{\"text\":\"page 0\"}", map(items1.get(0)).get("request_body"));

        List<Object> b = list(calls("?correlation_id=cid-page-b").get("items"));
        assertEquals(1, b.size());
        assertEquals("cid-page-b", map(b.get(0)).get("correlation_id"));

        assertEquals(0, ((Number) calls("?dry_run=false").get("total")).intValue());
        Map<String, Object> all = calls("?dry_run=true&size=200");
        assertEquals(((Number) all.get("total")).intValue(), list(all.get("items")).size());
        assertTrue(((Number) all.get("total")).intValue() >= 4);
        assertNotEquals(0, ((Number) calls("").get("total")).intValue());
        Map<String, Object> created = map(items0.get(0));
        assertTrue(((String) created.get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*"),
                String.valueOf(created.get("created_at")));
    }
}
