package org.agentplatform.gateway.github;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import org.agentplatform.gateway.client.github.api.GithubApi;
import org.agentplatform.gateway.client.github.model.ReactionRequest;
import org.agentplatform.gateway.client.github.model.ReactionResult;
import org.agentplatform.gateway.config.ReactionSettings;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.client.slack.model.SlackResult;
import org.agentplatform.gateway.messages.SlackSource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.slack.SlackReaction;
import org.agentplatform.gateway.store.TaskRepository;
import org.agentplatform.gateway.store.TaskRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * The "eyes" reaction that tells the commenter the agent saw the request, added through
 * github-service's {@code addReaction} (generated client), or for a Slack mention through
 * slack-service's {@code addSlackReaction} ({@link SlackReaction}). It happens after the webhook was
 * answered. Its state is kept on the task row, so a failed attempt is retried with backoff by the
 * outbox relay (also after a restart) up to {@code gateway.reaction.max-attempts}; a failure is
 * logged and never touches the task itself.
 */
@Singleton
public class EyesReaction {

    private static final Logger LOG = LoggerFactory.getLogger(EyesReaction.class);
    /** How long one attempt holds the reaction before someone else may try again. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final GithubApi github;
    private final SlackReaction slack;
    private final TaskRepository tasks;
    private final ReactionSettings settings;
    private final Semaphore inFlight;

    public EyesReaction(GithubApi github, SlackReaction slack, TaskRepository tasks, ReactionSettings settings) {
        this.github = github;
        this.slack = slack;
        this.tasks = tasks;
        this.settings = settings;
        this.inFlight = new Semaphore(Math.max(1, settings.getConcurrency()));
    }

    /** The Idempotency-Key of the reaction for a delivery: the same delivery never reacts twice. */
    public static String idempotencyKey(String deliveryId) {
        return "delivery-" + deliveryId + "-eyes";
    }

    /** The Idempotency-Key of the reaction for a task (Slack): the same task never reacts twice. */
    public static String taskIdempotencyKey(String taskId) {
        return "task-" + taskId + "-reaction";
    }

    /** The call itself: POST /api/v1/github/comments/{owner}/{repo}/{comment_id}/reactions. */
    public ReactionResult react(String owner, String repo, long commentId, GithubSource.CommentType commentType,
                                String idempotencyKey, String correlationId) {
        ReactionRequest request = new ReactionRequest(ReactionRequest.ContentEnum.EYES);
        request.setCommentType(commentType == GithubSource.CommentType.REVIEW_COMMENT
                ? ReactionRequest.CommentTypeEnum.REVIEW_COMMENT
                : ReactionRequest.CommentTypeEnum.ISSUE_COMMENT);
        return github.addReaction(owner, repo, commentId, request, idempotencyKey, correlationId);
    }

    /** One attempt for a task, if its reaction is due and nobody else is on it. */
    public void attempt(String taskId) {
        if (!inFlight.tryAcquire()) {
            // not claimed, so still due: the relay offers it again on a later tick
            LOG.debug("Reaction for task {} deferred: {} call(s) already in flight", taskId, settings.getConcurrency());
            return;
        }
        try {
            Instant now = Instant.now();
            if (tasks.claimReaction(taskId, now, now.plus(LEASE)) == 0) {
                return;
            }
            TaskRow row = tasks.findById(taskId).orElse(null);
            if (row == null) {
                return;
            }
            try (var ignored = Correlation.scope(row.correlationId(), row.message().getTraceparent())) {
                attempt(row);
            }
        } finally {
            inFlight.release();
        }
    }

    private void attempt(TaskRow row) {
        TaskQueueMessage message = row.message();
        if (message.getSource() != null && message.getSource().getVendor() == TaskSource.Vendor.SLACK) {
            attemptSlack(row, message.getSource().getSlack());
            return;
        }
        GithubSource gh = message.getSource() == null ? null : message.getSource().getGithub();
        if (gh == null || gh.getCommentId() == null || row.reactionKey() == null) {
            tasks.updateReaction(row.taskId(), TaskRow.REACTION_FAILED, null, "the task names no GitHub comment");
            return;
        }
        String where = gh.getOwner() + "/" + gh.getRepo() + " comment " + gh.getCommentId();
        try {
            ReactionResult result = react(gh.getOwner(), gh.getRepo(), gh.getCommentId(), gh.getCommentType(),
                    row.reactionKey(), row.correlationId());
            if (result == null) {
                // a declarative client answers a 404 with no body instead of throwing
                failed(row, where, "github-service answered 404 (no such repository or comment)", false);
                return;
            }
            tasks.updateReaction(row.taskId(), TaskRow.REACTION_DONE, null, null);
            LOG.debug("Added the eyes reaction to {} for task {} (dry_run={}, attempt {})", where, row.taskId(),
                    result.getDryRun(), row.reactionAttempts());
        } catch (HttpClientResponseException e) {
            int code = e.code();
            if (code == 409) {
                sameKeyInProgress(row, where, "github-service", e);
                return;
            }
            boolean retryable = code >= 500 || code == 429 || code == 408;
            failed(row, where, "github-service answered " + code + problemDetail(e), retryable);
        } catch (ConstraintViolationException e) {
            failed(row, where, "not a valid reaction target: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            failed(row, where, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }

    /** The reaction on the Slack message that mentioned the agent, through slack-service. */
    private void attemptSlack(TaskRow row, @Nullable SlackSource source) {
        if (source == null || source.getMessageTs() == null || row.reactionKey() == null) {
            tasks.updateReaction(row.taskId(), TaskRow.REACTION_FAILED, null, "the task names no Slack message");
            return;
        }
        String where = "Slack message " + source.getChannel() + "/" + source.getMessageTs();
        try {
            SlackResult result = slack.react(source.getChannel(), source.getMessageTs(), row.reactionKey(),
                    row.correlationId());
            if (result == null) {
                failed(row, where, "slack-service answered 404 (no such channel or message)", false);
                return;
            }
            tasks.updateReaction(row.taskId(), TaskRow.REACTION_DONE, null, null);
            LOG.debug("Added the {} reaction to {} for task {} (dry_run={}, attempt {})", slack.name(), where,
                    row.taskId(), result.getDryRun(), row.reactionAttempts());
        } catch (HttpClientResponseException e) {
            int code = e.code();
            if (code == 409) {
                sameKeyInProgress(row, where, "slack-service", e);
                return;
            }
            boolean retryable = code >= 500 || code == 429 || code == 408;
            failed(row, where, "slack-service answered " + code + problemDetail(e), retryable);
        } catch (ConstraintViolationException e) {
            failed(row, where, "not a valid reaction target: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            failed(row, where, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }

    /**
     * 409: the service still runs an earlier attempt with the same Idempotency-Key (ours timed out
     * while it kept going). That call adds the reaction; asking again would only queue behind it and
     * time out again, so the reaction is settled as done, with the answer kept as a note.
     */
    private void sameKeyInProgress(TaskRow row, String where, String service, HttpClientResponseException e) {
        String note = service + " answered 409: an earlier attempt with key " + row.reactionKey()
                + " is still in progress there" + problemDetail(e);
        tasks.updateReaction(row.taskId(), TaskRow.REACTION_DONE, null, note.length() > 1000 ? note.substring(0, 1000) : note);
        LOG.info("Eyes reaction on {} for task {}: left to the attempt already in progress at {} (409)", where,
                row.taskId(), service);
    }

    private void failed(TaskRow row, String where, String error, boolean retryable) {
        int attempts = row.reactionAttempts();
        if (retryable && attempts < settings.getMaxAttempts()) {
            Duration backoff = settings.backoffAfter(attempts);
            tasks.updateReaction(row.taskId(), TaskRow.REACTION_PENDING, Instant.now().plus(backoff), error);
            LOG.warn("Eyes reaction on {} for task {} failed (attempt {}/{}), retrying in {} ms: {}", where,
                    row.taskId(), attempts, settings.getMaxAttempts(), backoff.toMillis(), error);
        } else {
            tasks.updateReaction(row.taskId(), TaskRow.REACTION_FAILED, null, error);
            LOG.error("Eyes reaction on {} for task {} given up after {} attempt(s): {} (the task itself is"
                    + " unaffected)", where, row.taskId(), attempts, error);
        }
    }

    private static String problemDetail(HttpClientResponseException e) {
        @Nullable String body = e.getResponse().getBody(String.class).orElse(null);
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + (body.length() > 300 ? body.substring(0, 300) : body);
    }
}
