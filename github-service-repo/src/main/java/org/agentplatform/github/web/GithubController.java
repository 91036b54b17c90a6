package org.agentplatform.github.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.github.api.AbstractGithubController;
import org.agentplatform.github.github.CallContext;
import org.agentplatform.github.github.GithubOperations;
import org.agentplatform.github.github.Results;
import org.agentplatform.github.model.CommentRequest;
import org.agentplatform.github.model.CommentResult;
import org.agentplatform.github.model.Issue;
import org.agentplatform.github.model.PostPRCommentRequest;
import org.agentplatform.github.model.PostPRCommentResponse;
import org.agentplatform.github.model.ReactionRequest;
import org.agentplatform.github.model.ReactionResult;

/**
 * The {@code github} operations of the contract (routes, binding and validation are generated in
 * {@link AbstractGithubController}): translates HTTP to {@link GithubOperations} calls and results to the
 * contract's models. Blocking work (database, GitHub, back-off) runs on the blocking executor.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class GithubController extends AbstractGithubController {

    static final String DRY_RUN_NOTE = "Dry run: recorded, nothing sent to GitHub";

    private final GithubOperations github;

    public GithubController(GithubOperations github) {
        this.github = github;
    }

    @Override
    public PostPRCommentResponse postPrComment(String owner, String repo, Long prNumber, PostPRCommentRequest request,
                                               @Nullable String idempotencyKey, @Nullable String xCorrelationId) {
        Results.Comment comment = replayAware(github.postComment("postPrComment", owner, checkRepo(repo), prNumber,
            request.getComment(), idempotencyKey, context()));
        return new PostPRCommentResponse(true, comment.dryRun() ? DRY_RUN_NOTE : "Comment posted")
            .commentId(comment.commentId());
    }

    @Override
    public CommentResult postIssueComment(String owner, String repo, Long issueNumber, CommentRequest request,
                                          @Nullable String idempotencyKey, @Nullable String xCorrelationId) {
        Results.Comment comment = replayAware(github.postComment("postIssueComment", owner, checkRepo(repo), issueNumber,
            request.getBody(), idempotencyKey, context()));
        return commentResult(comment, "Comment posted");
    }

    @Override
    public CommentResult updateComment(String owner, String repo, Long commentId, CommentRequest request,
                                       @Nullable String commentType, @Nullable String idempotencyKey,
                                       @Nullable String xCorrelationId) {
        Results.CommentKind kind = Results.CommentKind.fromApi(commentType);
        if (kind == null) {
            throw ApiProblem.invalidParam("comment_type", "must be one of issue_comment, review_comment");
        }
        Results.Comment comment = replayAware(github.updateComment(owner, checkRepo(repo), commentId, kind, request.getBody(),
            idempotencyKey, context()));
        return commentResult(comment, "Comment updated");
    }

    @Override
    public ReactionResult addReaction(String owner, String repo, Long commentId, ReactionRequest request,
                                      @Nullable String idempotencyKey, @Nullable String xCorrelationId) {
        Results.CommentKind kind = request.getCommentType() == null
            ? Results.CommentKind.ISSUE_COMMENT : Results.CommentKind.fromApi(request.getCommentType().getValue());
        Results.Reaction reaction = replayAware(github.addReaction(owner, checkRepo(repo), commentId, kind,
            request.getContent().getValue(), idempotencyKey, context()));
        String message = reaction.dryRun() ? DRY_RUN_NOTE : reaction.created() ? "Reaction added" : "Reaction already present";
        return new ReactionResult(true, reaction.dryRun(), message).reactionId(reaction.reactionId());
    }

    @Override
    public Issue getIssue(String owner, String repo, Long issueNumber, @Nullable String xCorrelationId) {
        Results.IssueInfo info = github.getIssue(owner, checkRepo(repo), issueNumber, context());
        return new Issue(info.number(), info.title(), info.author(), info.labels(), info.state(), info.pullRequest())
            ._body(info.body())
            .htmlUrl(info.htmlUrl());
    }

    private static CommentResult commentResult(Results.Comment comment, String message) {
        return new CommentResult(true, comment.dryRun(), comment.dryRun() ? DRY_RUN_NOTE : message)
            .commentId(comment.commentId())
            .htmlUrl(comment.htmlUrl());
    }

    /** GitHub has no repositories named "." or "..", and they must never reach a URL path. */
    private static String checkRepo(String repo) {
        if (".".equals(repo) || "..".equals(repo)) {
            throw ApiProblem.invalidParam("repo", "is not a repository name");
        }
        return repo;
    }

    private static <R> R replayAware(Results.Outcome<R> outcome) {
        if (outcome.replayed()) {
            ServerRequestContext.currentRequest().ifPresent(r -> r.setAttribute(CorrelationFilter.REPLAYED, true));
        }
        return outcome.value();
    }

    /** The correlation id and calling service of the request being served. */
    static CallContext context() {
        HttpRequest<Object> request = ServerRequestContext.currentRequest().orElse(null);
        String correlationId = request == null ? null : request.getAttribute(CorrelationFilter.ATTRIBUTE, String.class).orElse(null);
        String caller = request == null ? null : request.getAttribute(ServiceTokenFilter.CALLER, String.class).orElse(null);
        return new CallContext(correlationId == null ? CorrelationFilter.current() : correlationId, caller);
    }
}
