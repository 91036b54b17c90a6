package org.agentplatform.jira.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.http.Fault;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real mode against a fake Jira: exact requests, answer mapping, retries, errors, idempotency, calls log. */
@MicronautTest(transactional = false)
class JiraRealModeTest extends ServiceTestBase {

    private static final String EMAIL = "agent-bot@example.com";
    private static final String API_TOKEN = "ATATT-test-secret-token";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((EMAIL + ":" + API_TOKEN).getBytes(StandardCharsets.UTF_8));
    private static final String COMMENT_PATH = "/rest/api/3/issue/PROJ-123/comment";
    private static final String TRANSITIONS_PATH = "/rest/api/3/issue/PROJ-123/transitions";

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of("jira.email", EMAIL, "jira.api-token", API_TOKEN, "jira.max-attempts", "4");
    }

    @BeforeEach
    void resetFakeJira() {
        jira.resetAll();
    }

    private void stubAddComment() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/add-comment.201.json"))));
    }

    private static String corr() {
        return "it-" + UUID.randomUUID();
    }

    // ------------------------------------------------------------------ comments

    @Test
    void addComment_sendsAdfWithBasicAuth_andMapsTheAnswer() {
        stubAddComment();
        String correlation = corr();
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments",
                "{\"body\": \"**Done.** The fix is in `checkout.js`.\"}", "X-Correlation-Id", correlation);

        assertEquals(200, answer.status(), answer.body());
        assertEquals(Map.of("success", true, "comment_id", "10000", "dry_run", false, "message", "Comment added"), answer.json());
        assertEquals(correlation, answer.header("X-Correlation-Id"));
        assertNull(answer.header("X-Dry-Run"));
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH))
                .withHeader("Authorization", equalTo(BASIC))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"body": {"version": 1, "type": "doc", "content": [
                          {"type": "paragraph", "content": [
                            {"type": "text", "text": "Done.", "marks": [{"type": "strong"}]},
                            {"type": "text", "text": " The fix is in "},
                            {"type": "text", "text": "checkout.js", "marks": [{"type": "code"}]},
                            {"type": "text", "text": "."}]}]}}""")));

        List<Map<String, Object>> log = calls("?correlation_id=" + correlation);
        assertEquals(1, log.size());
        Map<String, Object> call = log.get(0);
        assertEquals("addJiraComment", call.get("operation"));
        assertEquals("POST", call.get("method"));
        assertEquals(jira.baseUrl() + COMMENT_PATH, call.get("url"));
        assertEquals(201, call.get("status_code"));
        assertEquals("10000", call.get("vendor_id"));
        assertEquals(false, call.get("dry_run"));
        assertEquals(1, call.get("attempts"));
        assertTrue(call.get("request_body").toString().contains("\"type\":\"doc\""));
        assertFalse(call.containsKey("error"));
        assertTrue(call.get("created_at").toString().matches("\\d{4}-\\d\\d-\\d\\dT.*"), call.toString());
    }

    @Test
    void updateComment_putsAdfToTheComment() {
        jira.stubFor(put(urlPathEqualTo(COMMENT_PATH + "/10042")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(resource("jira/update-comment.200.json").replace("\"id\": \"10000\"", "\"id\": \"10042\""))));
        Answer answer = apiPut("/api/v1/jira/issues/PROJ-123/comments/10042", "{\"body\": \"Still working: ran the tests.\"}");

        assertEquals(200, answer.status(), answer.body());
        assertEquals(Map.of("success", true, "comment_id", "10042", "dry_run", false, "message", "Comment updated"), answer.json());
        jira.verify(1, putRequestedFor(urlPathEqualTo(COMMENT_PATH + "/10042"))
                .withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson("""
                        {"body": {"version": 1, "type": "doc", "content": [
                          {"type": "paragraph", "content": [{"type": "text", "text": "Still working: ran the tests."}]}]}}""")));
    }

    // ------------------------------------------------------------------ issue

    @Test
    void getIssue_asksForTheFields_andFlattensTheDescription() {
        jira.stubFor(WireMock.get(urlPathEqualTo("/rest/api/3/issue/PROJ-123")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/get-issue-PROJ-123.200.json"))));
        Answer answer = apiGet("/api/v1/jira/issues/PROJ-123");

        assertEquals(200, answer.status(), answer.body());
        assertEquals(Map.of(
                "key", "PROJ-123",
                "summary", "Checkout fails for EU users",
                "description", "Steps:\n\n1. Open the cart as an EU user\n2. Pay with SEPA\n\nTypeError: cannot read 'vat' of undefined",
                "status", "To Do",
                "labels", List.of("agent"),
                "reporter", "Ada Lovelace",
                "url", jira.baseUrl() + "/browse/PROJ-123"), answer.json());
        jira.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/3/issue/PROJ-123"))
                .withQueryParam("fields", equalTo("summary,description,status,labels,reporter"))
                .withHeader("Authorization", equalTo(BASIC)));
    }

    @Test
    void getIssue_atlassiansOwnExample() {
        jira.stubFor(WireMock.get(urlPathEqualTo("/rest/api/3/issue/ED-1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/get-issue-ED-1.200.json"))));
        Map<String, Object> issue = apiGet("/api/v1/jira/issues/ED-1").json();
        assertEquals("ED-1", issue.get("key"));
        assertEquals("Main order flow broken", issue.get("description"));
        assertEquals(List.of(), issue.get("labels"));
        assertEquals("", issue.get("summary"));
        assertFalse(issue.containsKey("status"));
    }

    // ------------------------------------------------------------------ transitions

    private void stubTransitions() {
        jira.stubFor(WireMock.get(urlPathEqualTo(TRANSITIONS_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/transitions.200.json"))));
        jira.stubFor(post(urlPathEqualTo(TRANSITIONS_PATH)).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void transition_byNameCaseInsensitive_thenPostsItsId() {
        stubTransitions();
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/transitions", "{\"transition\": \"close ISSUE\"}");

        assertEquals(200, answer.status(), answer.body());
        assertEquals(Map.of("success", true, "transition_id", "2", "dry_run", false, "message", "Transitioned to In Progress"),
                answer.json());
        jira.verify(1, getRequestedFor(urlPathEqualTo(TRANSITIONS_PATH)).withHeader("Authorization", equalTo(BASIC)));
        jira.verify(1, postRequestedFor(urlPathEqualTo(TRANSITIONS_PATH))
                .withHeader("Authorization", equalTo(BASIC))
                .withRequestBody(equalToJson("{\"transition\": {\"id\": \"2\"}}")));
    }

    @Test
    void transition_byIdOrByTargetStatus() {
        stubTransitions();
        assertEquals("711", apiPost("/api/v1/jira/issues/PROJ-123/transitions", "{\"transition\": \"711\"}").json().get("transition_id"));
        assertEquals("711", apiPost("/api/v1/jira/issues/PROJ-123/transitions", "{\"transition\": \"Closed\"}").json().get("transition_id"));
        jira.verify(2, postRequestedFor(urlPathEqualTo(TRANSITIONS_PATH)).withRequestBody(equalToJson("{\"transition\": {\"id\": \"711\"}}")));
    }

    @Test
    void transition_unknownName_is409ListingTheAvailableOnes_andNothingIsPosted() {
        stubTransitions();
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/transitions", "{\"transition\": \"Done\"}");

        assertEquals(409, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        String detail = answer.json().get("detail").toString();
        assertTrue(detail.contains("'Close Issue' (id 2, to In Progress)") && detail.contains("'QA Review' (id 711, to Closed)"), detail);
        jira.verify(0, postRequestedFor(urlPathEqualTo(TRANSITIONS_PATH)));
    }

    // ------------------------------------------------------------------ retries

    @Test
    void retry_500ThenSuccess() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("{\"errorMessages\":[\"Internal server error\"]}"))
                .willSetStateTo("recovered"));
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(resource("jira/add-comment.201.json"))));
        String correlation = corr();
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}", "X-Correlation-Id", correlation);

        assertEquals(200, answer.status(), answer.body());
        jira.verify(2, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        assertEquals(2, calls("?correlation_id=" + correlation).get(0).get("attempts"));
    }

    @Test
    void retry_connectionResetThenSuccess() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(resource("jira/add-comment.201.json"))));
        // the reset came after the request was sent: Jira is asked for the comment before it is posted again
        jira.stubFor(WireMock.get(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"startAt\":0,\"maxResults\":100,\"total\":0,\"comments\":[]}")));
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}");
        assertEquals(200, answer.status(), answer.body());
        jira.verify(2, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        jira.verify(1, getRequestedFor(urlPathEqualTo(COMMENT_PATH)).withQueryParam("orderBy", equalTo("-created")));
    }

    @Test
    void retry_429HonoursRetryAfter() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withHeader("RateLimit-Reason", "jira-burst-based"))
                .willSetStateTo("free"));
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario("limited").whenScenarioStateIs("free")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(resource("jira/add-comment.201.json"))));
        long started = System.nanoTime();
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(200, answer.status(), answer.body());
        assertTrue(elapsedMs >= 1000, "waited only " + elapsedMs + " ms although Jira asked for 1 s");
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> sent = jira.findAll(postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        assertEquals(2, sent.size());
        long gapMs = sent.get(1).getLoggedDate().getTime() - sent.get(0).getLoggedDate().getTime();
        assertTrue(gapMs >= 1000, "second try came after " + gapMs + " ms");
    }

    @Test
    void retry_exhaustedIs502_withAttemptsRecorded() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(503)));
        String correlation = corr();
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}", "X-Correlation-Id", correlation);

        assertEquals(502, answer.status(), answer.body());
        assertTrue(answer.json().get("detail").toString().contains("503 for issue PROJ-123 after 4 attempt(s) (JIRA_MAX_ATTEMPTS) of POST "
                + COMMENT_PATH), answer.body());
        jira.verify(4, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        Map<String, Object> call = calls("?correlation_id=" + correlation).get(0);
        assertEquals(4, call.get("attempts"));
        assertEquals(503, call.get("status_code"));
        assertTrue(call.get("error").toString().startsWith("502 "), call.toString());
    }

    @Test
    void retry_tooLongRetryAfterIs503_withoutWaiting() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}");

        assertEquals(503, answer.status(), answer.body());
        assertEquals("120", answer.header("Retry-After"));
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    // ------------------------------------------------------------------ vendor errors

    @Test
    void vendor404_is404() {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/NOPE-1/comment")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/error-404.json"))));
        Answer answer = apiPost("/api/v1/jira/issues/NOPE-1/comments", "{\"body\": \"hi\"}");

        assertEquals(404, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        Map<String, Object> problem = answer.json();
        assertEquals(404, problem.get("status"));
        assertTrue(problem.get("detail").toString().contains("Issue does not exist or you do not have permission to see it."));
        jira.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void vendor401And403_are502NamingTheEnvVars_neverTheSecret() {
        for (int status : new int[] {401, 403}) {
            jira.resetAll();
            jira.stubFor(WireMock.get(urlPathEqualTo("/rest/api/3/issue/PROJ-123")).willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"errorMessages\":[\"Client must be authenticated to access this resource.\"],\"errors\":{}}")));
            Answer answer = apiGet("/api/v1/jira/issues/PROJ-123");

            assertEquals(502, answer.status(), answer.body());
            String detail = answer.json().get("detail").toString();
            assertTrue(detail.contains("JIRA_EMAIL") && detail.contains("JIRA_API_TOKEN"), detail);
            assertFalse(answer.body().contains(API_TOKEN));
            jira.verify(1, anyRequestedFor(anyUrl())); // no retry on an auth failure
        }
    }

    @Test
    void vendor400_is400WithJirasMessages() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/error-400-comment.json"))));
        Answer answer = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"hi\"}");

        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().get("detail").toString().contains("comment: Comment body can not be empty!"), answer.body());
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void idempotency_sameKeyReturnsTheFirstResult_andSendsOnce() {
        stubAddComment();
        String key = "task-" + UUID.randomUUID() + "-answer";
        Answer first = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"answer\"}", "Idempotency-Key", key);
        Answer second = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"answer\"}", "Idempotency-Key", key);

        assertEquals(200, first.status(), first.body());
        assertEquals(200, second.status(), second.body());
        assertEquals(first.json(), second.json());
        assertEquals("true", second.header("Idempotent-Replayed"));
        assertNull(first.header("Idempotent-Replayed"));
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void idempotency_concurrentDuplicatesSendOnce() throws Exception {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(201).withFixedDelay(800)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/add-comment.201.json"))));
        String key = "task-" + UUID.randomUUID() + "-answer";
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Callable<Answer>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(() -> apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"answer\"}", "Idempotency-Key", key));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : pool.invokeAll(tasks)) {
                answers.add(f.get());
            }
            for (Answer a : answers) {
                assertEquals(200, a.status(), a.body());
            }
            Set<Object> ids = answers.stream().map(a -> a.json().get("comment_id")).collect(Collectors.toSet());
            assertEquals(Set.of("10000"), ids);
            assertEquals(4, answers.stream().filter(a -> "true".equals(a.header("Idempotent-Replayed"))).count());
        } finally {
            pool.shutdownNow();
        }
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void idempotency_duplicateWhileTheFirstIsStillRunning_waitsThenGets409() throws Exception {
        // IDEMPOTENCY_WAIT is 5 s in these tests; Jira takes 7 s for the first request
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(201).withFixedDelay(7000)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/add-comment.201.json"))));
        String key = "task-" + UUID.randomUUID() + "-answer";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Answer> first = pool.submit(() -> apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"a\"}",
                    "Idempotency-Key", key));
            Thread.sleep(1000);
            long started = System.nanoTime();
            Answer duplicate = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"a\"}", "Idempotency-Key", key);
            long waitedMs = (System.nanoTime() - started) / 1_000_000;

            assertEquals(409, duplicate.status(), duplicate.body());
            assertEquals("1", duplicate.header("Retry-After"));
            assertTrue(duplicate.json().get("detail").toString().contains("still in progress"), duplicate.body());
            assertTrue(waitedMs >= 4500, "answered after " + waitedMs + " ms, before IDEMPOTENCY_WAIT");
            assertEquals(200, first.get().status());
        } finally {
            pool.shutdownNow();
        }
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void idempotency_sameKeyDifferentRequestIs409() {
        stubAddComment();
        String key = "task-" + UUID.randomUUID() + "-answer";
        assertEquals(200, apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"one\"}", "Idempotency-Key", key).status());
        Answer other = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"two\"}", "Idempotency-Key", key);

        assertEquals(409, other.status(), other.body());
        assertTrue(other.json().get("detail").toString().contains(key));
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void idempotency_aFailedCallFreesTheKey() {
        String key = "task-" + UUID.randomUUID() + "-answer";
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(401)));
        assertEquals(502, apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"a\"}", "Idempotency-Key", key).status());
        stubAddComment();
        Answer retried = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"a\"}", "Idempotency-Key", key);

        assertEquals(200, retried.status(), retried.body());
        assertNull(retried.header("Idempotent-Replayed"));
        jira.verify(2, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    // ------------------------------------------------------------------ calls log

    @Test
    void callsLog_pagesNewestFirst_andFilters() {
        stubAddComment();
        String correlation = corr();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"n" + i + "\"}",
                    "X-Correlation-Id", correlation).status());
        }
        Answer page0 = apiGet("/api/v1/jira/calls?correlation_id=" + correlation + "&page=0&size=2");
        Map<String, Object> body = page0.json();
        assertEquals(0, body.get("page"));
        assertEquals(2, body.get("size"));
        assertEquals(3, body.get("total"));
        List<?> items = (List<?>) body.get("items");
        assertEquals(2, items.size());
        long newest = ((Number) ((Map<?, ?>) items.get(0)).get("id")).longValue();
        long next = ((Number) ((Map<?, ?>) items.get(1)).get("id")).longValue();
        assertTrue(newest > next, "newest first");
        assertTrue(((Map<?, ?>) items.get(0)).get("request_body").toString().contains("n2"));

        List<?> page1 = (List<?>) apiGet("/api/v1/jira/calls?correlation_id=" + correlation + "&page=1&size=2").json().get("items");
        assertEquals(1, page1.size());
        assertEquals(3, calls("?correlation_id=" + correlation + "&dry_run=false").size());
        assertEquals(0, calls("?correlation_id=" + correlation + "&dry_run=true").size());
        assertTrue(calls("?dry_run=true").isEmpty(), "real mode records no dry-run calls");
        assertEquals(0, calls("?correlation_id=nobody-" + UUID.randomUUID()).size());
    }
}
