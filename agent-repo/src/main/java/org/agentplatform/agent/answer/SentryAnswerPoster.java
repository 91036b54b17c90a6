package org.agentplatform.agent.answer;

import jakarta.inject.Singleton;
import org.agentplatform.agent.client.sentry.api.SentryApi;
import org.agentplatform.agent.client.sentry.model.SentryNoteRequest;
import org.agentplatform.agent.client.sentry.model.SentryNoteResult;
import org.agentplatform.agent.messages.SentrySource;
import org.agentplatform.agent.messages.TaskSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a Sentry task with a note on {@code source.sentry.issue_id} through sentry-service
 * ({@code addSentryNote}). No progress message: the contract has no way to edit a note, and a
 * new note per progress step would bury the issue's activity.
 */
@Singleton
public class SentryAnswerPoster implements AnswerPoster {
    private static final Logger LOG = LoggerFactory.getLogger(SentryAnswerPoster.class);
    private static final String SERVICE = "sentry-service";
    /** SentryNoteRequest.text maxLength in the contract. */
    static final int MAX_TEXT = 16_000;
    private final SentryApi sentry;

    public SentryAnswerPoster(SentryApi sentry) {
        this.sentry = sentry;
    }

    @Override
    public String vendor() {
        return TaskSource.Vendor.SENTRY.value();
    }

    @Override
    public int maxBodyChars() {
        return MAX_TEXT;
    }

    @Override
    public PostResult post(AnswerRequest request) throws AnswerPostException {
        TaskSource source = request.message().getSource();
        SentrySource s = source == null ? null : source.getSentry();
        if (s == null || s.getIssueId() == null || s.getIssueId().isBlank()) {
            throw new AnswerPostException("the task's source has no sentry issue_id", false);
        }
        SentryNoteResult r = VendorCalls.call(SERVICE, () -> sentry.addSentryNote(s.getIssueId(),
                new SentryNoteRequest(request.body()), request.idempotencyKey(), Answers.correlationHeader(request.correlationId())));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "add the note", r.getError(), r.getMessage());
        }
        LOG.info("Answer posted as note {} on Sentry issue {}{}", r.getNoteId(), s.getIssueId(),
                Boolean.TRUE.equals(r.getDryRun()) ? " (dry run)" : "");
        return PostResult.posted(r.getNoteId(), "note " + (r.getNoteId() == null ? "?" : r.getNoteId()) + " on Sentry issue "
                + s.getIssueId() + (Boolean.TRUE.equals(r.getDryRun()) ? " (sentry-service dry run)" : ""));
    }
}
