package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.agent.client.github.api.GithubApi;
import org.agentplatform.agent.client.github.model.CommentRequest;
import org.agentplatform.agent.client.github.model.CommentResult;
import org.agentplatform.agent.client.github.model.PostPRCommentRequest;
import org.agentplatform.agent.client.github.model.PostPRCommentResponse;
import org.agentplatform.agent.messages.GithubSource;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.messages.TaskSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a GitHub task with one comment through github-service (the generated client): on a
 * pull request the seed endpoint {@code postPrComment}, on an issue {@code postIssueComment},
 * both on {@code source.github.number}, with {@code Idempotency-Key} and {@code X-Correlation-Id}.
 * The progress message is an issue comment ({@code postIssueComment} works for pull requests too,
 * on their conversation), edited with {@code updateComment}.
 */
@Singleton
public class GithubAnswerPoster implements AnswerPoster, ProgressMessenger {
    private static final Logger LOG = LoggerFactory.getLogger(GithubAnswerPoster.class);
    private static final String SERVICE = "github-service";
    private final GithubApi github;

    public GithubAnswerPoster(GithubApi github) {
        this.github = github;
    }

    @Override
    public String vendor() {
        return TaskSource.Vendor.GITHUB.value();
    }

    @Override
    public PostResult post(AnswerRequest request) throws AnswerPostException {
        GithubSource gh = source(request.message());
        String correlation = Answers.correlationHeader(request.correlationId());
        String where = gh.getOwner() + "/" + gh.getRepo() + "#" + gh.getNumber();
        if (Boolean.TRUE.equals(gh.getIsPullRequest())) {
            PostPRCommentResponse r = VendorCalls.call(SERVICE, () -> github.postPrComment(gh.getOwner(), gh.getRepo(),
                    gh.getNumber(), new PostPRCommentRequest(request.body()), request.idempotencyKey(), correlation));
            if (!Boolean.TRUE.equals(r.getSuccess())) {
                throw VendorCalls.notDone(SERVICE, "post the comment", r.getError(), r.getMessage());
            }
            LOG.info("Answer posted on {}/{} PR #{} (comment {})", gh.getOwner(), gh.getRepo(), gh.getNumber(), r.getCommentId());
            return PostResult.posted(idOf(r.getCommentId()), "comment " + idOf(r.getCommentId()) + " on " + where);
        }
        CommentResult r = issueComment(gh, request.body(), request.idempotencyKey(), correlation);
        LOG.info("Answer posted on {}/{} issue #{} (comment {}{})", gh.getOwner(), gh.getRepo(), gh.getNumber(),
                r.getCommentId(), Boolean.TRUE.equals(r.getDryRun()) ? ", dry run" : "");
        return PostResult.posted(idOf(r.getCommentId()), "comment " + idOf(r.getCommentId()) + " on " + where
                + (Boolean.TRUE.equals(r.getDryRun()) ? " (github-service dry run)" : ""));
    }

    @Override
    public boolean supportsProgress(TaskQueueMessage message) {
        return true;
    }

    @Override
    public String createProgress(TaskQueueMessage message, String text, String idempotencyKey, @Nullable String correlationId)
            throws AnswerPostException {
        CommentResult r = issueComment(source(message), text, idempotencyKey, Answers.correlationHeader(correlationId));
        if (r.getCommentId() == null) {
            throw new AnswerPostException(SERVICE + " posted the progress comment but named no comment id", false);
        }
        return r.getCommentId().toString();
    }

    @Override
    public void editProgress(TaskQueueMessage message, String reference, String text, @Nullable String correlationId)
            throws AnswerPostException {
        GithubSource gh = source(message);
        long commentId;
        try {
            commentId = Long.parseLong(reference);
        } catch (NumberFormatException e) {
            throw new AnswerPostException("progress reference " + reference + " is not a GitHub comment id", false);
        }
        CommentResult r = VendorCalls.call(SERVICE, () -> github.updateComment(gh.getOwner(), gh.getRepo(), commentId,
                new CommentRequest(text), "issue_comment", null, Answers.correlationHeader(correlationId)));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "update the comment", r.getError(), r.getMessage());
        }
    }

    private CommentResult issueComment(GithubSource gh, String body, @Nullable String key, @Nullable String correlation)
            throws AnswerPostException {
        CommentResult r = VendorCalls.call(SERVICE, () -> github.postIssueComment(gh.getOwner(), gh.getRepo(), gh.getNumber(),
                new CommentRequest(body), key, correlation));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "post the comment", r.getError(), r.getMessage());
        }
        return r;
    }

    private static GithubSource source(TaskQueueMessage message) throws AnswerPostException {
        TaskSource source = message.getSource();
        GithubSource gh = source == null ? null : source.getGithub();
        if (gh == null || gh.getOwner() == null || gh.getRepo() == null || gh.getNumber() == null) {
            throw new AnswerPostException("the task's source has no github owner/repo/number", false);
        }
        return gh;
    }

    private static String idOf(Long id) {
        return id == null ? "?" : id.toString();
    }
}
