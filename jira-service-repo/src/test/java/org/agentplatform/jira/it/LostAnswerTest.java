package org.agentplatform.jira.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A comment whose POST reached Jira but whose answer was lost (here: Jira answers 3 s after the
 * 1 s request timeout) is never posted twice: the service looks for it with Jira's "Get comments"
 * before sending again, within its own retries and across the caller's retries with the same
 * Idempotency-Key.
 */
@MicronautTest(transactional = false)
class LostAnswerTest extends ServiceTestBase {

    private static final String EMAIL = "agent-bot@example.com";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((EMAIL + ":lost-answer-token").getBytes(StandardCharsets.UTF_8));
    private static final String COMMENT_PATH = "/rest/api/3/issue/PROJ-123/comment";
    private static final String API_PATH = "/api/v1/jira/issues/PROJ-123/comments";
    /** Markdown sent, and the ADF Jira gives back for it: other structure and attrs, same text. */
    private static final String MARKDOWN = "{\"body\": \"The **fix** is in `checkout.js`.\"}";
    private static final String JIRAS_ADF = """
            {"type":"doc","version":1,"content":[{"type":"paragraph","attrs":{"localId":"a1b2"},"content":[
              {"type":"text","text":"The "},{"type":"text","text":"fix","marks":[{"type":"strong"}]},
              {"type":"text","text":" is  in\\u00a0"},{"type":"text","text":"checkout.js","marks":[{"type":"code"}]},
              {"type":"text","text":"."}]}]}""";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of("jira.email", EMAIL, "jira.api-token", "lost-answer-token", "jira.max-attempts", "4",
                "jira.read-timeout", "1s");
    }

    @BeforeEach
    void resetFakeJira() {
        jira.resetAll();
    }

    private static String key() {
        return "task-" + UUID.randomUUID() + "-answer";
    }

    /** Jira's "Get comments" answer holding these comments ({@code [id, created, ADF body]}). */
    private static String commentList(String[]... comments) {
        StringBuilder items = new StringBuilder();
        for (String[] c : comments) {
            items.append(items.length() == 0 ? "" : ",").append("{\"id\":\"").append(c[0]).append("\",\"created\":\"")
                    .append(c[1]).append("\",\"body\":").append(c[2]).append('}');
        }
        return "{\"startAt\":0,\"maxResults\":100,\"total\":" + comments.length + ",\"comments\":[" + items + "]}";
    }

    private static String now(long plusSeconds) {
        return JIRA_TIME.format(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(plusSeconds));
    }

    private static String otherText(String text) {
        return "{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\""
                + text + "\"}]}]}";
    }

    private static MappingBuilder lookup() {
        return WireMock.get(urlPathEqualTo(COMMENT_PATH));
    }

    /**
     * The first POST is taken by Jira (it creates the comment) but answered after the timeout; once
     * it came, the look-up lists {@code listed} ({@code [id, created, ADF body]}); a POST after that
     * is answered at once (comment 10000).
     */
    private void stubLostPost(String scenario, String[]... listed) {
        jira.stubFor(lookup().inScenario(scenario).whenScenarioStateIs("created").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(commentList(listed))));
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(201).withFixedDelay(3000).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"10050\"}"))
                .willSetStateTo("created"));
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).inScenario(scenario).whenScenarioStateIs("created")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(resource("jira/add-comment.201.json"))));
    }

    @Test
    void answerLostAfterJiraCreatedTheComment_isFoundThere_andNotPostedAgain() {
        stubLostPost("created", new String[] {"10051", now(1), otherText("The fix is in checkout.js, said someone else")},
                new String[] {"10050", now(0), JIRAS_ADF});
        String key = key();
        String correlation = "lost-" + UUID.randomUUID();
        Answer answer = apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key, "X-Correlation-Id", correlation);

        assertEquals(200, answer.status(), answer.body());
        assertEquals(Map.of("success", true, "comment_id", "10050", "dry_run", false, "message", "Comment added"), answer.json());
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        jira.verify(1, getRequestedFor(urlPathEqualTo(COMMENT_PATH))
                .withQueryParam("orderBy", equalTo("-created"))
                .withQueryParam("maxResults", equalTo("100"))
                .withHeader("Authorization", equalTo(BASIC)));
        Map<String, Object> call = calls("?correlation_id=" + correlation).get(0);
        assertEquals("10050", call.get("vendor_id"));
        assertEquals(2, call.get("attempts"));

        Answer retried = apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key);
        assertEquals("true", retried.header("Idempotent-Replayed"));
        assertEquals("10050", retried.json().get("comment_id"));
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void answerLostAndJiraHasNoSuchComment_isPostedAgain() {
        // the same text, but two hours old; a new comment, but another text: neither is the lost one
        stubLostPost("missing", new String[] {"10061", now(0), otherText("The fix is in checkout.js!")},
                new String[] {"10060", now(-7200), JIRAS_ADF});
        Answer answer = apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key());

        assertEquals(200, answer.status(), answer.body());
        assertEquals("10000", answer.json().get("comment_id"));
        jira.verify(2, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        jira.verify(1, getRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void noAnswerEvenToTheLookup_neverPostsAgain_failsClearly_andTheCallersRetryFindsTheComment() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(201).withFixedDelay(3000)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"10070\"}")));
        jira.stubFor(lookup().willReturn(aResponse().withStatus(200).withFixedDelay(3000)
                .withHeader("Content-Type", "application/json").withBody(commentList())));
        String key = key();
        Answer failed = apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key);

        assertEquals(502, failed.status(), failed.body());
        assertEquals("application/problem+json", failed.header("Content-Type"));
        String detail = failed.json().get("detail").toString();
        assertTrue(detail.contains("no answer to POST " + COMMENT_PATH) && detail.contains("after 4 attempt(s) (JIRA_MAX_ATTEMPTS")
                && detail.contains("same Idempotency-Key looks for it"), detail);
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
        jira.verify(3, getRequestedFor(urlPathEqualTo(COMMENT_PATH)));

        // Jira is well again and shows the comment the lost POST created; the caller retries with the same key
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(resource("jira/add-comment.201.json"))));
        jira.stubFor(lookup().willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(commentList(new String[] {"10070", now(0), JIRAS_ADF}))));
        Answer retried = apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key);

        assertEquals(200, retried.status(), retried.body());
        assertEquals("10070", retried.json().get("comment_id"));
        assertNull(retried.header("Idempotent-Replayed"));
        jira.verify(1, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void aCommentAnotherCallAlreadyAnsweredWith_isNotTakenForTheLostOne() {
        jira.stubFor(post(urlPathEqualTo(COMMENT_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"10080\"}")));
        assertEquals("10080", apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key()).json().get("comment_id"));

        jira.resetAll();
        stubLostPost("known", new String[] {"10080", now(0), JIRAS_ADF});
        Answer answer = apiPost(API_PATH, MARKDOWN, "Idempotency-Key", key());

        assertEquals(200, answer.status(), answer.body());
        assertEquals("10000", answer.json().get("comment_id"));
        jira.verify(2, postRequestedFor(urlPathEqualTo(COMMENT_PATH)));
    }

    @Test
    void timeoutsOfARequestThatCreatesNothing_areRetriedWithoutLookup() {
        jira.stubFor(WireMock.get(urlPathEqualTo("/rest/api/3/issue/PROJ-123")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(3000).withHeader("Content-Type", "application/json").withBody("{}")));
        Answer answer = apiGet("/api/v1/jira/issues/PROJ-123");

        assertEquals(502, answer.status(), answer.body());
        assertTrue(answer.json().get("detail").toString().contains("no answer to GET /rest/api/3/issue/PROJ-123?fields="),
                answer.body());
        jira.verify(4, getRequestedFor(urlPathEqualTo("/rest/api/3/issue/PROJ-123")));
        assertEquals(List.of(), jira.findAll(getRequestedFor(urlPathEqualTo(COMMENT_PATH))));
    }
}
