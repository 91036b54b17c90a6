package org.agentplatform.agent.answer;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import org.agentplatform.agent.client.github.api.GithubApi;
import org.agentplatform.agent.client.github.model.CommentRequest;
import org.agentplatform.agent.client.github.model.CommentResult;
import org.agentplatform.agent.client.github.model.PostPRCommentRequest;
import org.agentplatform.agent.client.github.model.PostPRCommentResponse;
import org.agentplatform.agent.messages.GithubSource;
import org.agentplatform.agent.messages.TaskSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a GitHub task with one comment through github-service (the generated client): on a
 * pull request the seed endpoint {@code postPrComment}, on an issue {@code postIssueComment},
 * both on {@code source.github.number}, with {@code Idempotency-Key} and {@code X-Correlation-Id}.
 */
@Singleton
public class GithubAnswerPoster implements AnswerPoster {
    private static final Logger LOG = LoggerFactory.getLogger(GithubAnswerPoster.class);
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
        TaskSource source = request.message().getSource();
        GithubSource gh = source == null ? null : source.getGithub();
        if (gh == null || gh.getOwner() == null || gh.getRepo() == null || gh.getNumber() == null) {
            throw new AnswerPostException("the task's source has no github owner/repo/number", false);
        }
        String correlation = Answers.correlationHeader(request.correlationId());
        try {
            if (Boolean.TRUE.equals(gh.getIsPullRequest())) {
                PostPRCommentResponse r = github.postPrComment(gh.getOwner(), gh.getRepo(), gh.getNumber(),
                        new PostPRCommentRequest(request.body()), request.idempotencyKey(), correlation);
                if (r == null || !Boolean.TRUE.equals(r.getSuccess())) {
                    throw new AnswerPostException("github-service did not post the comment: "
                            + (r == null ? "empty answer" : r.getError() != null ? r.getError() : r.getMessage()), true);
                }
                LOG.info("Answer posted on {}/{} PR #{} (comment {})", gh.getOwner(), gh.getRepo(), gh.getNumber(), r.getCommentId());
                return PostResult.posted(idOf(r.getCommentId()), "comment " + idOf(r.getCommentId()) + " on "
                        + gh.getOwner() + "/" + gh.getRepo() + "#" + gh.getNumber());
            }
            CommentResult r = github.postIssueComment(gh.getOwner(), gh.getRepo(), gh.getNumber(),
                    new CommentRequest(request.body()), request.idempotencyKey(), correlation);
            if (r == null || !Boolean.TRUE.equals(r.getSuccess())) {
                throw new AnswerPostException("github-service did not post the comment: "
                        + (r == null ? "empty answer" : r.getError() != null ? r.getError() : r.getMessage()), true);
            }
            LOG.info("Answer posted on {}/{} issue #{} (comment {}{})", gh.getOwner(), gh.getRepo(), gh.getNumber(),
                    r.getCommentId(), Boolean.TRUE.equals(r.getDryRun()) ? ", dry run" : "");
            return PostResult.posted(idOf(r.getCommentId()), "comment " + idOf(r.getCommentId()) + " on "
                    + gh.getOwner() + "/" + gh.getRepo() + "#" + gh.getNumber()
                    + (Boolean.TRUE.equals(r.getDryRun()) ? " (github-service dry run)" : ""));
        } catch (HttpClientResponseException e) {
            HttpStatus status = e.getStatus();
            int code = status.getCode();
            boolean retryable = code >= 500 || code == 429 || code == 408 || code == 401 || code == 403;
            throw new AnswerPostException("github-service answered " + code + " " + status.getReason()
                    + detail(e), retryable);
        } catch (HttpClientException e) {
            throw new AnswerPostException("github-service unreachable: " + e.getMessage(), true);
        } catch (ConstraintViolationException e) {
            throw new AnswerPostException("the answer does not fit the github-service API: " + e.getMessage(), false);
        }
    }

    private static String idOf(Long id) {
        return id == null ? "?" : id.toString();
    }

    private static String detail(HttpClientResponseException e) {
        try {
            return e.getResponse().getBody(String.class).map(b -> ": " + (b.length() > 300 ? b.substring(0, 300) : b)).orElse("");
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
