package org.agentplatform.jira.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

/**
 * No credentials: nothing reaches Jira (the fake Jira stays untouched although JIRA_BASE_URL points
 * at it), every call is recorded with dry_run=true and answered with a synthetic success.
 */
@MicronautTest(transactional = false)
class DryRunTest extends ServiceTestBase {

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of("jira.email", "agent-bot@example.com"); // no JIRA_API_TOKEN: dry-run
    }

    @Test
    void commentAddedThenEdited_recordedAndNothingSent() {
        String correlation = "dry-" + UUID.randomUUID();
        Answer added = apiPost("/api/v1/jira/issues/PROJ-123/comments", "{\"body\": \"Working on it\"}",
                "X-Correlation-Id", correlation, "Idempotency-Key", "task-" + correlation + "-progress");

        assertEquals(200, added.status(), added.body());
        assertEquals("true", added.header("X-Dry-Run"));
        Map<String, Object> result = added.json();
        assertEquals(true, result.get("success"));
        assertEquals(true, result.get("dry_run"));
        String commentId = result.get("comment_id").toString();
        assertTrue(commentId.matches("9[0-9]{9}"), commentId);

        Answer edited = apiPut("/api/v1/jira/issues/PROJ-123/comments/" + commentId, "{\"body\": \"**Done.**\"}",
                "X-Correlation-Id", correlation);
        assertEquals(200, edited.status(), edited.body());
        assertEquals(Map.of("success", true, "comment_id", commentId, "dry_run", true, "message",
                "Dry-run: update of comment " + commentId + " on PROJ-123 recorded, nothing sent to Jira"), edited.json());

        List<Map<String, Object>> log = calls("?correlation_id=" + correlation);
        assertEquals(2, log.size());
        Map<String, Object> update = log.get(0);
        Map<String, Object> add = log.get(1);
        assertEquals("updateJiraComment", update.get("operation"));
        assertEquals("PUT", update.get("method"));
        assertEquals(jira.baseUrl() + "/rest/api/3/issue/PROJ-123/comment/" + commentId, update.get("url"));
        assertTrue(update.get("request_body").toString().contains("\"marks\":[{\"type\":\"strong\"}]"), update.toString());
        assertEquals("addJiraComment", add.get("operation"));
        assertEquals(commentId, add.get("vendor_id"));
        assertEquals("task-" + correlation + "-progress", add.get("idempotency_key"));
        for (Map<String, Object> call : log) {
            assertEquals(true, call.get("dry_run"));
            assertEquals(0, call.get("attempts"));
            assertFalse(call.containsKey("status_code"), "no answer from Jira in dry-run: " + call);
        }
        jira.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void sameKeyInDryRun_returnsTheSameSyntheticComment() {
        String key = "task-" + UUID.randomUUID() + "-answer";
        Answer first = apiPost("/api/v1/jira/issues/PROJ-9/comments", "{\"body\": \"answer\"}", "Idempotency-Key", key);
        Answer again = apiPost("/api/v1/jira/issues/PROJ-9/comments", "{\"body\": \"answer\"}", "Idempotency-Key", key);
        Answer other = apiPost("/api/v1/jira/issues/PROJ-9/comments", "{\"body\": \"answer\"}");

        assertEquals(first.json(), again.json());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals("true", again.header("X-Dry-Run"));
        assertNotEquals(first.json().get("comment_id"), other.json().get("comment_id"));
        jira.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void issueAndTransition_areSynthetic() {
        String correlation = "dry-" + UUID.randomUUID();
        Answer issue = apiGet("/api/v1/jira/issues/PROJ-123", "X-Correlation-Id", correlation);
        assertEquals(200, issue.status(), issue.body());
        assertEquals("true", issue.header("X-Dry-Run"));
        assertEquals(Map.of("key", "PROJ-123", "summary", "[dry-run] PROJ-123", "labels", List.of(),
                "url", jira.baseUrl() + "/browse/PROJ-123"), issue.json());

        Answer byName = apiPost("/api/v1/jira/issues/PROJ-123/transitions", "{\"transition\": \"In Progress\"}",
                "X-Correlation-Id", correlation);
        assertEquals(200, byName.status(), byName.body());
        assertEquals(Map.of("success", true, "dry_run", true, "message",
                "Dry-run: transition of PROJ-123 to 'In Progress' recorded, nothing sent to Jira"), byName.json());
        Answer byId = apiPost("/api/v1/jira/issues/PROJ-123/transitions", "{\"transition\": \"21\"}");
        assertEquals("21", byId.json().get("transition_id"));

        List<Map<String, Object>> log = calls("?correlation_id=" + correlation + "&dry_run=true");
        assertEquals(List.of("transitionJiraIssue", "getJiraIssue"), log.stream().map(c -> c.get("operation")).toList());
        assertEquals("{\"transition\":{\"name\":\"In Progress\"}}", log.get(0).get("request_body"));
        assertTrue(calls("?correlation_id=" + correlation + "&dry_run=false").isEmpty());
        jira.verify(0, anyRequestedFor(anyUrl()));
    }
}
