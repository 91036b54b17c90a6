package org.agentplatform.sentry.vendor;

import io.micronaut.serde.ObjectMapper;
import org.agentplatform.sentry.model.SentryEvent;
import org.agentplatform.sentry.model.SentryException;
import org.agentplatform.sentry.model.SentryFrame;
import org.agentplatform.sentry.model.SentryIssue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.agentplatform.sentry.support.TestSupport.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mapping of Sentry's real JSON shapes (see src/test/resources/sentry/README.md) to the contract. */
class SentryJsonTest {

    private final SentryJson json = new SentryJson(ObjectMapper.getDefault());

    @Test
    void issueDetailsWithCountAsStringAndProjectSlug() {
        SentryIssue issue = json.issue(json.parse(fixture("issue-1234567890.json")), "1234567890");
        assertEquals("1234567890", issue.getId());
        assertEquals("BACKEND-3F", issue.getShortId());
        assertEquals("TypeError: cannot read properties of undefined (reading 'id')", issue.getTitle());
        assertEquals("app/checkout.js in submitOrder", issue.getCulprit());
        assertEquals("error", issue.getLevel());
        assertEquals("unresolved", issue.getStatus());
        assertEquals("https://sentry.io/organizations/acme/issues/1234567890/", issue.getPermalink());
        assertEquals("backend", issue.getProject());
        assertEquals(17L, issue.getCount());
    }

    @Test
    void countAsNumberOrGarbage() {
        assertEquals(150L, json.issue(json.parse("{\"id\":\"1\",\"title\":\"t\",\"count\":150}"), "1").getCount());
        assertNull(json.issue(json.parse("{\"id\":\"1\",\"title\":\"t\",\"count\":\"many\"}"), "1").getCount());
    }

    @Test
    void latestEventExceptionFramesInSentryOrderWithContextLine() {
        SentryEvent event = json.event(json.parse(fixture("latest-event-1234567890.json")));
        assertEquals("9fac2ceed9344f2bbfdd1fdacb0ed9b1", event.getEventId());
        assertEquals("javascript", event.getPlatform());
        // error events carry "message": "" — the title is the message
        assertEquals("TypeError: cannot read properties of undefined (reading 'id')", event.getMessage());
        assertEquals(1, event.getExceptions().size());
        SentryException ex = event.getExceptions().get(0);
        assertEquals("TypeError", ex.getType());
        assertEquals("cannot read properties of undefined (reading 'id')", ex.getValue());
        List<SentryFrame> frames = ex.getFrames();
        assertEquals(List.of("processTicksAndRejections", "handleCheckout", "submitOrder"),
                frames.stream().map(SentryFrame::getFunction).toList());
        SentryFrame innermost = frames.get(2);
        assertEquals("app/checkout.js", innermost.getFilename());
        assertEquals("app:checkout", innermost.getModule());
        assertEquals(88, innermost.getLineno());
        assertTrue(innermost.getInApp());
        assertEquals("  const id = order.customer.id;", innermost.getContextLine());
        assertEquals("  const receipt = await submitOrder(order);", frames.get(1).getContextLine());
        assertFalse(frames.get(0).getInApp());
        assertNull(frames.get(0).getContextLine()); // empty context
    }

    @Test
    void sentryDocsExampleVerbatim() {
        SentryEvent event = json.event(json.parse(fixture("docs-latest-event-example.json")));
        assertEquals("9999aaaaca8b46d797c23c6077c6ff01", event.getEventId());
        assertEquals("This is an example Python exception", event.getMessage());
        SentryException ex = event.getExceptions().get(0);
        assertEquals("ForbiddenError", ex.getType());
        assertEquals("GET /organizations/hellboy-meowmeow/users/ 403", ex.getValue());
        assertEquals(2, ex.getFrames().size());
        SentryFrame last = ex.getFrames().get(1);
        assertEquals("apply", last.getFunction());
        assertEquals(74, last.getLineno());
        assertEquals("            me.trigger.apply(me, args);", last.getContextLine());
        assertEquals("/usr/src/getsentry/src/sentry/node_modules/reflux-core/lib/PublisherMethods.js",
                last.getFilename());
    }

    @Test
    void messageEventWithTopLevelStacktrace() {
        SentryEvent event = json.event(json.parse(fixture("message-event-with-stacktrace.json")));
        assertEquals("This is an example Python exception", event.getMessage());
        assertEquals(1, event.getExceptions().size());
        SentryException ex = event.getExceptions().get(0);
        assertNull(ex.getType());
        assertEquals("This is an example Python exception", ex.getValue());
        assertEquals("            self.transform(frame.f_locals)", ex.getFrames().get(1).getContextLine());
    }

    @Test
    void rawEventPayloadInSnakeCase() {
        String raw = """
                {"event_id":"abc","platform":"python","message":"boom",
                 "exception":{"values":[{"type":"ValueError","value":"bad",
                   "stacktrace":{"frames":[{"filename":"app.py","function":"f","lineno":3,"in_app":true,
                     "context_line":"    raise ValueError('bad')"}]}}]}}""";
        SentryEvent event = json.event(json.parse(raw));
        assertEquals("abc", event.getEventId());
        SentryFrame f = event.getExceptions().get(0).getFrames().get(0);
        assertEquals(3, f.getLineno());
        assertTrue(f.getInApp());
        assertEquals("    raise ValueError('bad')", f.getContextLine());
    }

    @Test
    void noteIdAndErrorDetails() {
        assertEquals("4321", json.idOf(fixture("note-created.json")));
        assertEquals("You have already posted that comment.",
                json.detailOf("{\"detail\": \"You have already posted that comment.\"}"));
        assertEquals(List.of(Map.entry("status", "\"closed\" is not a valid choice.")),
                json.fieldErrorsOf("{\"status\": [\"\\\"closed\\\" is not a valid choice.\"]}"));
        assertNull(json.detailOf("<html>Bad gateway</html>"));
    }

    @Test
    void findNoteMatchesExactTextCreatedSinceTheGivenTime() {
        String notes = """
                [{"id": "7", "type": "note", "data": {"text": "other"}, "dateCreated": "2026-11-27T02:31:00.000001Z"},
                 {"id": "6", "type": "assigned", "data": {"text": "answer"}, "dateCreated": "2026-11-27T02:30:30Z"},
                 {"id": "5", "type": "note", "data": {"text": "answer "}, "dateCreated": "2026-11-27T02:30:20Z"},
                 {"id": "4", "type": "note", "data": {"text": "answer"}, "dateCreated": "2026-11-27T02:30:00.123456Z",
                  "user": {"id": "1"}},
                 {"id": "3", "type": "note", "data": {"text": "answer"}, "dateCreated": "2026-11-27T01:00:00Z"}]""";
        java.time.Instant notBefore = java.time.Instant.parse("2026-11-27T02:29:00Z");
        String found = json.findNote(notes, "answer", notBefore).orElseThrow();
        assertEquals("4", json.idOf(found));
        assertEquals("answer", SentryJson.text(json.parse(found).get("data"), "text"));
        // at exactly notBefore still counts; one microsecond later does not
        assertTrue(json.findNote(notes, "answer", java.time.Instant.parse("2026-11-27T02:30:00.123456Z")).isPresent());
        assertFalse(json.findNote(notes, "answer", java.time.Instant.parse("2026-11-27T02:30:00.123457Z")).isPresent());
        // an offset instead of Z
        assertTrue(json.findNote("[{\"id\": \"8\", \"data\": {\"text\": \"x\"}, \"dateCreated\": \"2026-11-27T04:30:00+02:00\"}]",
                "x", notBefore).isPresent());
        assertFalse(json.findNote("[{\"id\": \"9\", \"data\": {\"text\": \"x\"}}]", "x", notBefore).isPresent());
        assertFalse(json.findNote("{\"detail\": \"not a list\"}", "x", notBefore).isPresent());
        assertFalse(json.findNote("[]", "answer", notBefore).isPresent());
    }
}
