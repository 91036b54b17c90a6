package org.agentplatform.sentry.web;

import org.agentplatform.sentry.model.SentryIssueUpdateRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Java names → the contract's names in problem details. */
class ProblemNamesTest {

    @Test
    void parametersAndProperties() {
        assertEquals("assigned_to", Problems.snakeCase("assignedTo"));
        assertEquals("text", Problems.snakeCase("text"));
        assertEquals("issue_id", ProblemHandlers.parameterName("issueId"));
        assertEquals("Idempotency-Key", ProblemHandlers.parameterName("idempotencyKey"));
        assertEquals("X-Correlation-Id", ProblemHandlers.parameterName("xCorrelationId"));
        assertEquals("dry_run", ProblemHandlers.parameterName("dryRun"));
        assertEquals("body", ProblemHandlers.parameterName("sentryNoteRequest"));
    }

    @Test
    void enumValuesAreListedForEnumProperties() {
        assertEquals("resolved, unresolved, ignored",
                ProblemHandlers.allowedValues(SentryIssueUpdateRequest.class, "status"));
        assertNull(ProblemHandlers.allowedValues(SentryIssueUpdateRequest.class, "assignedTo"));
        assertNull(ProblemHandlers.allowedValues(SentryIssueUpdateRequest.class, "nope"));
    }
}
