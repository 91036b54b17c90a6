package org.agentplatform.sentry;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.sentry.support.FakeSentryTest;
import org.agentplatform.sentry.support.TestSupport;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.agentplatform.sentry.support.TestSupport.AGENT_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.GATEWAY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.SENTRY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.fixture;
import static org.agentplatform.sentry.support.TestSupport.list;
import static org.agentplatform.sentry.support.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real mode: a token is set and WireMock plays Sentry; requests and mappings are checked exactly. */
@MicronautTest(transactional = false)
class RealModeTest extends FakeSentryTest {

    private static final String ISSUE = "/api/0/issues/1234567890/";
    private static final String EVENT = ISSUE + "events/latest/";
    private static final String COMMENTS = ISSUE + "comments/";

    RealModeTest() {
        super("real");
    }

    private HttpResponse<String> getIssue(String cid) {
        return TestSupport.send("GET", url("/api/v1/sentry/issues/1234567890"), null,
                "Authorization", "Bearer " + GATEWAY_TOKEN, "X-Correlation-Id", cid);
    }

    private HttpResponse<String> addNote(String text, String key) {
        String body = "{\"text\": " + quote(text) + "}";
        return key == null
                ? TestSupport.send("POST", url("/api/v1/sentry/issues/1234567890/notes"), body,
                "Authorization", "Bearer " + AGENT_TOKEN)
                : TestSupport.send("POST", url("/api/v1/sentry/issues/1234567890/notes"), body,
                "Authorization", "Bearer " + AGENT_TOKEN, "Idempotency-Key", key);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private List<Object> callsFor(String cid) {
        HttpResponse<String> r = TestSupport.send("GET", url("/api/v1/sentry/calls?correlation_id=" + cid), null,
                "Authorization", "Bearer " + GATEWAY_TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        return list(json(r).get("items"));
    }

    private void stubIssueAndEvent() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));
        sentry.stubFor(WireMock.get(EVENT).willReturn(okJson(fixture("latest-event-1234567890.json"))));
    }

    @Test
    void getIssueSendsTheTokenAndMapsIssueAndLatestEvent() {
        stubIssueAndEvent();
        HttpResponse<String> r = getIssue("cid-get-1");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("cid-get-1", r.headers().firstValue("X-Correlation-Id").orElse(null));

        sentry.verify(1, getRequestedFor(urlEqualTo(ISSUE))
                .withHeader("Authorization", equalTo("Bearer " + SENTRY_TOKEN)));
        sentry.verify(1, getRequestedFor(urlEqualTo(EVENT))
                .withHeader("Authorization", equalTo("Bearer " + SENTRY_TOKEN)));

        Map<String, Object> issue = json(r);
        assertEquals("1234567890", issue.get("id"));
        assertEquals("BACKEND-3F", issue.get("short_id"));
        assertEquals("TypeError: cannot read properties of undefined (reading 'id')", issue.get("title"));
        assertEquals("app/checkout.js in submitOrder", issue.get("culprit"));
        assertEquals("error", issue.get("level"));
        assertEquals("unresolved", issue.get("status"));
        assertEquals("backend", issue.get("project"));
        assertEquals(17, ((Number) issue.get("count")).intValue()); // "17" in Sentry's JSON
        Map<String, Object> event = map(issue.get("latest_event"));
        assertEquals("9fac2ceed9344f2bbfdd1fdacb0ed9b1", event.get("event_id"));
        assertEquals("javascript", event.get("platform"));
        assertEquals("TypeError: cannot read properties of undefined (reading 'id')", event.get("message"));
        Map<String, Object> ex = map(list(event.get("exceptions")).get(0));
        assertEquals("TypeError", ex.get("type"));
        List<Object> frames = list(ex.get("frames"));
        assertEquals(3, frames.size());
        Map<String, Object> innermost = map(frames.get(2));
        assertEquals("app/checkout.js", innermost.get("filename"));
        assertEquals("submitOrder", innermost.get("function"));
        assertEquals(88, ((Number) innermost.get("lineno")).intValue());
        assertEquals(true, innermost.get("in_app"));
        assertEquals("  const id = order.customer.id;", innermost.get("context_line"));

        List<Object> calls = callsFor("cid-get-1");
        assertEquals(2, calls.size());
        Map<String, Object> eventCall = map(calls.get(0)); // newest first
        Map<String, Object> issueCall = map(calls.get(1));
        assertEquals("getSentryIssue", issueCall.get("operation"));
        assertEquals("GET", issueCall.get("method"));
        assertEquals(sentry.baseUrl() + ISSUE, issueCall.get("url"));
        assertEquals(200, issueCall.get("status_code"));
        assertEquals("1234567890", issueCall.get("vendor_id"));
        assertEquals(false, issueCall.get("dry_run"));
        assertEquals(1, issueCall.get("attempts"));
        assertEquals(sentry.baseUrl() + EVENT, eventCall.get("url"));
        assertEquals("9fac2ceed9344f2bbfdd1fdacb0ed9b1", eventCall.get("vendor_id"));
        assertFalse(r.body().contains(SENTRY_TOKEN));
    }

    @Test
    void missingLatestEventStillReturnsTheIssue() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));
        sentry.stubFor(WireMock.get(EVENT).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\": \"No event found\"}")));
        HttpResponse<String> r = getIssue("cid-no-event");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> issue = json(r);
        assertEquals("1234567890", issue.get("id"));
        assertFalse(issue.containsKey("latest_event"), r.body());
    }

    @Test
    void vendor404IsA404Problem() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\": \"The requested resource does not exist\"}")));
        HttpResponse<String> r = getIssue("cid-404");
        assertEquals(404, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, Object> p = json(r);
        assertEquals(404, p.get("status"));
        assertTrue(((String) p.get("detail")).contains("1234567890"), r.body());
        sentry.verify(0, getRequestedFor(urlEqualTo(EVENT)));
    }

    @Test
    void vendor401IsA502NamingTheEnvVarButNotTheSecret() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\": \"Authentication credentials were not provided.\"}")));
        HttpResponse<String> r = getIssue("cid-401");
        assertEquals(502, r.statusCode(), r.body());
        String detail = (String) json(r).get("detail");
        assertTrue(detail.contains("SENTRY_AUTH_TOKEN"), detail);
        assertFalse(r.body().contains(SENTRY_TOKEN));
        sentry.verify(1, getRequestedFor(urlEqualTo(ISSUE))); // not retried
    }

    @Test
    void vendor403OnNoteIsA502() {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\": \"You do not have permission to perform this action.\"}")));
        HttpResponse<String> r = addNote("hello", null);
        assertEquals(502, r.statusCode(), r.body());
        String detail = (String) json(r).get("detail");
        assertTrue(detail.contains("SENTRY_AUTH_TOKEN") && detail.contains("permission"), detail);
    }

    @Test
    void addNotePostsExactlySentrysCommentBodyAndMapsTheAnswer() {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        String text = "Likely cause: `order.customer` is undefined for guest checkouts.\n\n- check \"guest\"";
        HttpResponse<String> r = addNote(text, null);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> result = json(r);
        assertEquals(true, result.get("success"));
        assertEquals("4321", result.get("note_id"));
        assertEquals(false, result.get("dry_run"));
        assertEquals("Note added", result.get("message"));
        sentry.verify(1, postRequestedFor(urlEqualTo(COMMENTS))
                .withHeader("Authorization", equalTo("Bearer " + SENTRY_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"text\": " + quote(text) + "}", false, false)));
    }

    @Test
    void updateIssuePutsStatusAndAssignedTo() {
        sentry.stubFor(put(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));
        HttpResponse<String> r = TestSupport.send("PUT", url("/api/v1/sentry/issues/1234567890"),
                "{\"status\": \"resolved\", \"assigned_to\": \"user:1\"}", "Authorization", "Bearer " + AGENT_TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> result = json(r);
        assertEquals(true, result.get("success"));
        assertEquals(false, result.get("dry_run"));
        sentry.verify(1, putRequestedFor(urlEqualTo(ISSUE))
                .withHeader("Authorization", equalTo("Bearer " + SENTRY_TOKEN))
                .withRequestBody(equalToJson("{\"status\": \"resolved\", \"assignedTo\": \"user:1\"}", false, false)));
    }

    @Test
    void vendor400DetailBecomesA400Problem() {
        sentry.stubFor(put(ISSUE).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"assignedTo\": [\"Unknown actor input\"]}")));
        HttpResponse<String> r = TestSupport.send("PUT", url("/api/v1/sentry/issues/1234567890"),
                "{\"assigned_to\": \"nobody@example.com\"}", "Authorization", "Bearer " + AGENT_TOKEN);
        assertEquals(400, r.statusCode(), r.body());
        Map<String, Object> p = json(r);
        Map<String, Object> param = map(list(p.get("invalid_params")).get(0));
        assertEquals("assigned_to", param.get("name"));
        assertEquals("Unknown actor input", param.get("reason"));

        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\": \"Something is off\"}")));
        HttpResponse<String> n = addNote("x", null);
        assertEquals(400, n.statusCode(), n.body());
        assertTrue(((String) json(n).get("detail")).contains("Something is off"), n.body());
    }

    @Test
    void retries500ThenSucceeds() {
        sentry.stubFor(post(COMMENTS).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("oops")).willSetStateTo("ok"));
        sentry.stubFor(post(COMMENTS).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(fixture("note-created.json"))));
        HttpResponse<String> r = TestSupport.send("POST", url("/api/v1/sentry/issues/1234567890/notes"),
                "{\"text\": \"retry me\"}", "Authorization", "Bearer " + AGENT_TOKEN, "X-Correlation-Id", "cid-retry");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("4321", json(r).get("note_id"));
        sentry.verify(2, postRequestedFor(urlEqualTo(COMMENTS))); // the one answered 500 stored nothing
        sentry.verify(0, getRequestedFor(urlEqualTo(COMMENTS))); // a 500 is an answer: no lookup
        Map<String, Object> call = map(callsFor("cid-retry").get(0));
        assertEquals(2, call.get("attempts"));
        assertEquals(201, call.get("status_code"));
        assertEquals("4321", call.get("vendor_id"));
    }

    @Test
    void honours429RetryAfter() {
        sentry.stubFor(WireMock.get(ISSUE).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\": \"You are attempting to use this endpoint too frequently.\"}"))
                .willSetStateTo("ok"));
        sentry.stubFor(WireMock.get(ISSUE).inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("issue-1234567890.json"))));
        sentry.stubFor(WireMock.get(EVENT).willReturn(okJson(fixture("latest-event-1234567890.json"))));
        long started = System.nanoTime();
        HttpResponse<String> r = getIssue("cid-429");
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(elapsedMs >= 950, "waited only " + elapsedMs + " ms");
        sentry.verify(2, getRequestedFor(urlEqualTo(ISSUE)));
    }

    @Test
    void retryAfterLongerThanTheLimitIsA503WithRetryAfter() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        HttpResponse<String> r = getIssue("cid-429-long");
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("120", r.headers().firstValue("Retry-After").orElse(null));
        sentry.verify(1, getRequestedFor(urlEqualTo(ISSUE)));
    }

    @Test
    void exhaustedRetriesAreA502() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(aResponse().withStatus(503).withBody("unavailable")));
        HttpResponse<String> r = getIssue("cid-503");
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(((String) json(r).get("detail")).contains("503"), r.body());
        sentry.verify(3, getRequestedFor(urlEqualTo(ISSUE))); // SENTRY_MAX_ATTEMPTS=3 in this test
        Map<String, Object> call = map(callsFor("cid-503").get(0));
        assertEquals(3, call.get("attempts"));
        assertEquals(503, call.get("status_code"));
        assertTrue(((String) call.get("error")).contains("503"));
    }

    @Test
    void connectionErrorsAreRetriedThenA502() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> r = getIssue("cid-reset");
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(((String) json(r).get("detail")).contains("SENTRY_API_URL"), r.body());
        // 3 attempts of ours; the JDK client may itself retry an idempotent GET once on a reset connection
        int requests = sentry.findAll(getRequestedFor(urlEqualTo(ISSUE))).size();
        assertTrue(requests >= 3 && requests <= 6, "requests: " + requests);
        Map<String, Object> call = map(callsFor("cid-reset").get(0));
        assertNull(call.get("status_code"));
        assertEquals(3, call.get("attempts"));
    }

    @Test
    void sameIdempotencyKeyPostsOnceAndReplaysTheFirstAnswer() {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        HttpResponse<String> first = addNote("answer", "task-7d0c6e8e-answer");
        HttpResponse<String> second = addNote("answer, regenerated", "task-7d0c6e8e-answer");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(json(first), json(second));
        assertEquals("true", second.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        sentry.verify(1, postRequestedFor(urlEqualTo(COMMENTS)));
    }

    @Test
    void concurrentDuplicatesPostOnce() throws Exception {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(201).withFixedDelay(700)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        assertEquals(Set.of("4321"), inParallel(5, "note_id", () -> addNote("concurrent", "task-concurrent-answer")));
        sentry.verify(1, postRequestedFor(urlEqualTo(COMMENTS)));
    }

    @Test
    void aFailedFirstAttemptReleasesTheKey() {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(500)));
        HttpResponse<String> failed = addNote("later", "task-release-answer");
        assertEquals(502, failed.statusCode(), failed.body());
        sentry.resetAll();
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        HttpResponse<String> retried = addNote("later", "task-release-answer");
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("4321", json(retried).get("note_id"));
        sentry.verify(1, postRequestedFor(urlEqualTo(COMMENTS)));
    }

    @Test
    void sentrysDuplicateGuardAfterALostAnswerCountsAsPosted() {
        // the first POST reached Sentry but its answer was lost (502 from a proxy); the retry is
        // refused by Sentry's own guard against the same note twice within an hour
        sentry.stubFor(post(COMMENTS).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("posted"));
        sentry.stubFor(post(COMMENTS).inScenario("lost").whenScenarioStateIs("posted")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\": \"You have already posted that comment.\"}")));
        HttpResponse<String> r = addNote("once only", null);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> result = json(r);
        assertEquals(true, result.get("success"));
        assertFalse(result.containsKey("note_id"));
        sentry.verify(2, postRequestedFor(urlEqualTo(COMMENTS)));
    }
}
