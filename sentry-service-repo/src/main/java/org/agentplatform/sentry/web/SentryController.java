package org.agentplatform.sentry.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.sentry.api.AbstractSentryController;
import org.agentplatform.sentry.calls.CallContext;
import org.agentplatform.sentry.calls.IdempotencyGuard;
import org.agentplatform.sentry.domain.SentryIssues;
import org.agentplatform.sentry.model.SentryIssue;
import org.agentplatform.sentry.model.SentryIssueUpdateRequest;
import org.agentplatform.sentry.model.SentryNoteRequest;
import org.agentplatform.sentry.model.SentryNoteResult;
import org.agentplatform.sentry.model.SentryResult;
import org.slf4j.MDC;

import java.util.List;

/** HTTP → {@link SentryIssues}: the generated contract routes for issues and notes. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class SentryController extends AbstractSentryController {

    private final SentryIssues issues;

    public SentryController(SentryIssues issues) {
        this.issues = issues;
    }

    @Override
    public SentryIssue getSentryIssue(String issueId, String xCorrelationId) {
        return issues.getIssue(issueId, context(SentryIssues.GET_ISSUE, null, xCorrelationId));
    }

    @Override
    public SentryNoteResult addSentryNote(String issueId, SentryNoteRequest request, String idempotencyKey,
                                          String xCorrelationId) {
        if (request.getText() == null || request.getText().isBlank()) {
            throw ApiProblem.badRequest("text", "must not be blank");
        }
        return replayAware(issues.addNote(issueId, request.getText(),
                context(SentryIssues.ADD_NOTE, idempotencyKey, xCorrelationId)));
    }

    @Override
    public SentryResult updateSentryIssue(String issueId, SentryIssueUpdateRequest request, String idempotencyKey,
                                          String xCorrelationId) {
        if (request.getStatus() == null && request.getAssignedTo() == null) {
            String reason = "at least one of status, assigned_to is required";
            throw new ApiProblem(io.micronaut.http.HttpStatus.BAD_REQUEST, "body: " + reason,
                    List.of(new ApiProblem.InvalidParam("status", reason),
                            new ApiProblem.InvalidParam("assigned_to", reason)), null);
        }
        if (request.getAssignedTo() != null && request.getAssignedTo().isBlank()) {
            throw ApiProblem.badRequest("assigned_to", "must not be blank");
        }
        return replayAware(issues.updateIssue(issueId, request,
                context(SentryIssues.UPDATE_ISSUE, idempotencyKey, xCorrelationId)));
    }

    private static CallContext context(String operation, @Nullable String idempotencyKey,
                                       @Nullable String correlationId) {
        String cid = correlationId != null ? correlationId : MDC.get(CorrelationIdFilter.MDC_KEY);
        if (cid == null) {
            cid = ServerRequestContext.currentRequest()
                    .flatMap(r -> r.getAttribute(CorrelationIdFilter.ATTRIBUTE, String.class)).orElse(null);
        }
        return new CallContext(operation, idempotencyKey, cid);
    }

    private static <T> T replayAware(IdempotencyGuard.Outcome<T> outcome) {
        if (outcome.replayed()) {
            ServerRequestContext.currentRequest()
                    .ifPresent(r -> r.setAttribute(CorrelationIdFilter.REPLAYED_ATTRIBUTE, true));
        }
        return outcome.value();
    }
}
