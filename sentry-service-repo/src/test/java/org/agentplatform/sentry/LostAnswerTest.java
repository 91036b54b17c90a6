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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.agentplatform.sentry.support.TestSupport.AGENT_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.GATEWAY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.SENTRY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.fixture;
import static org.agentplatform.sentry.support.TestSupport.list;
import static org.agentplatform.sentry.support.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos cases of a note: Sentry takes the POST but its answer comes after the request timeout, answers
 * 500 or 429, or does not answer lookups. WireMock plays Sentry: a POST answered 201, even late, stored a
 * note (a delayed POST changes its scenario state when it arrives); one answered 500 or 429 stored none.
 */
@MicronautTest(transactional = false)
class LostAnswerTest extends FakeSentryTest {

    private static final String COMMENTS = "/api/0/issues/1234567890/comments/";
    /** Longer than the request timeout below: the answer to such a POST is lost. */
    private static final int LATE_MS = 1500;

    LostAnswerTest() {
        super("lost");
    }

    @Override
    protected void configure(Map<String, String> p) {
        p.put("sentry.request-timeout", "500ms");
        p.put("sentry.retry-base-delay", "20ms"); // SENTRY_MAX_ATTEMPTS=3
    }

    private HttpResponse<String> addNote(String text, String key, String cid) {
        return TestSupport.send("POST", url("/api/v1/sentry/issues/1234567890/notes"), "{\"text\": \"" + text + "\"}",
                "Authorization", "Bearer " + AGENT_TOKEN, "Idempotency-Key", key, "X-Correlation-Id", cid);
    }

    private static String note(String id, String text, Instant created) {
        return "{\"id\": \"" + id + "\", \"type\": \"note\", \"data\": {\"text\": \"" + text + "\"},"
                + " \"dateCreated\": \"" + created + "\", \"user\": {\"id\": \"1\", \"username\": \"agent-platform\"}}";
    }

    private static String notes(String... notes) {
        return "[" + String.join(", ", notes) + "]";
    }

    private int posts() {
        return sentry.findAll(postRequestedFor(urlEqualTo(COMMENTS))).size();
    }

    private int lookups() {
        return sentry.findAll(getRequestedFor(urlEqualTo(COMMENTS))).size();
    }

    private void postsAreTakenButAnsweredLate() {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(201).withFixedDelay(LATE_MS)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
    }

    @Test
    void aNoteWhoseAnswerIsLostIsFoundOnSentryAndNotPostedAgain() {
        String text = "lost answer";
        Instant now = Instant.now();
        sentry.stubFor(post(COMMENTS).inScenario("note").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withFixedDelay(LATE_MS)
                        .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json")))
                .willSetStateTo("created"));
        sentry.stubFor(post(COMMENTS).inScenario("note").whenScenarioStateIs("created")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(fixture("note-created.json"))));
        sentry.stubFor(WireMock.get(COMMENTS).inScenario("note").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[]")));
        // newest first: another note, ours, the same text posted two hours ago (not ours: too old)
        sentry.stubFor(WireMock.get(COMMENTS).inScenario("note").whenScenarioStateIs("created")
                .willReturn(okJson(notes(note("5", "something else", now.plusSeconds(1)), note("4", text, now),
                        note("3", text, now.minus(Duration.ofHours(2)))))));

        HttpResponse<String> r = addNote(text, "task-lost-1-answer", "cid-lost-1");

        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> result = json(r);
        assertEquals(true, result.get("success"));
        assertEquals(false, result.get("dry_run"));
        assertEquals("4", result.get("note_id"));
        assertEquals(1, posts(), "the note must be posted exactly once");
        sentry.verify(1, getRequestedFor(urlEqualTo(COMMENTS))
                .withHeader("Authorization", equalTo("Bearer " + SENTRY_TOKEN)));
        Map<String, Object> call = map(list(json(TestSupport.send("GET", url("/api/v1/sentry/calls?correlation_id=cid-lost-1"),
                null, "Authorization", "Bearer " + GATEWAY_TOKEN)).get("items")).get(0));
        assertEquals("POST", call.get("method"));
        assertEquals("4", call.get("vendor_id"));
        assertEquals(2, call.get("attempts"));

        HttpResponse<String> again = addNote(text, "task-lost-1-answer", "cid-lost-1b");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals("4", json(again).get("note_id"));
        assertEquals(1, posts());
    }

    @Test
    void aLostAnswerWithoutTheNoteOnSentryIsSentOnceMore() {
        sentry.stubFor(post(COMMENTS).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        sentry.stubFor(post(COMMENTS).inScenario("reset").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(fixture("note-created.json"))));
        sentry.stubFor(WireMock.get(COMMENTS).willReturn(okJson(notes(note("9", "an older answer", Instant.now())))));

        HttpResponse<String> r = addNote("reset after sending", "task-lost-2-answer", "cid-lost-2");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("4321", json(r).get("note_id"));
        assertEquals(2, posts());
        assertEquals(1, lookups(), "looked before sending again");
    }

    @Test
    void rateLimitedThenSuccessWaitsForRetryAfterAndPostsOnce() {
        sentry.stubFor(post(COMMENTS).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\": \"You are attempting to use this endpoint too frequently.\"}"))
                .willSetStateTo("ok"));
        sentry.stubFor(post(COMMENTS).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(fixture("note-created.json"))));

        long started = System.nanoTime();
        HttpResponse<String> r = addNote("after a 429", "task-429-answer", "cid-429-note");
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("4321", json(r).get("note_id"));
        assertTrue(elapsedMs >= 950, "waited only " + elapsedMs + " ms");
        assertEquals(2, posts());
        assertEquals(0, lookups());
    }

    @Test
    void theAgentsRetryAfterAnUnansweredCallLooksAndSendsNothing() {
        String text = "answer of a task";
        Instant before = Instant.now();
        postsAreTakenButAnsweredLate();
        sentry.stubFor(WireMock.get(COMMENTS).willReturn(aResponse().withStatus(500)));

        HttpResponse<String> failed = addNote(text, "task-agent-retry-answer", "cid-agent-1");

        // budget spent (POST lost, then two lookups answered 500): a clear problem, and nothing resent
        assertEquals(502, failed.statusCode(), failed.body());
        assertEquals("application/problem+json", failed.headers().firstValue("Content-Type").orElse(""));
        String detail = (String) json(failed).get("detail");
        assertTrue(detail.contains("POST " + sentry.baseUrl() + COMMENTS), detail);
        assertTrue(detail.contains("500") && detail.contains("3 attempt(s)"), detail);
        assertTrue(detail.contains("may have stored the note"), detail);
        assertEquals(1, posts());
        assertEquals(2, lookups());

        // Sentry recovers; the agent retries with the same key: the note is found, nothing is sent
        sentry.stubFor(WireMock.get(COMMENTS).willReturn(okJson(notes(note("4", text, before)))));
        HttpResponse<String> retried = addNote(text, "task-agent-retry-answer", "cid-agent-2");

        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("4", json(retried).get("note_id"));
        assertTrue(retried.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertEquals(1, posts(), "the agent's retry must not post the note again");
        assertEquals(3, lookups());
    }

    @Test
    void concurrentRetriesOfAnUnansweredKeyLookOnceAndPostOnce() throws Exception {
        postsAreTakenButAnsweredLate();
        sentry.stubFor(WireMock.get(COMMENTS).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> failed = addNote("concurrent retries", "task-concurrent-retry-answer", "cid-cr-1");
        assertEquals(502, failed.statusCode(), failed.body());
        assertTrue(((String) json(failed).get("detail")).contains("no answer from Sentry"), failed.body());
        assertEquals(1, posts());

        // the lost POST created nothing after all; Sentry is back
        sentry.resetAll();
        sentry.stubFor(WireMock.get(COMMENTS).willReturn(okJson("[]")));
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(201).withFixedDelay(300)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        assertEquals(Set.of("4321"), inParallel(4, "note_id", () -> addNote("concurrent retries", "task-concurrent-retry-answer", "cid-cr-2")));
        assertEquals(1, posts());
        assertEquals(1, lookups());
    }

    @Test
    void exhaustedRetriesAreAProblemNamingTheCallAndTheReason() {
        sentry.stubFor(post(COMMENTS).willReturn(aResponse().withStatus(503).withBody("unavailable")));

        HttpResponse<String> r = addNote("never stored", "task-exhausted-answer", "cid-exhausted");

        assertEquals(502, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, Object> p = json(r);
        assertEquals(502, p.get("status"));
        String detail = (String) p.get("detail");
        assertTrue(detail.contains("POST " + sentry.baseUrl() + COMMENTS), detail);
        assertTrue(detail.contains("Sentry answered 503") && detail.contains("3 attempt(s)")
                && detail.contains("SENTRY_MAX_ATTEMPTS=3"), detail);
        assertEquals(3, posts());
        assertEquals(0, lookups());
    }
}
