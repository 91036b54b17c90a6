package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.agent.client.jira.api.JiraApi;
import org.agentplatform.agent.client.jira.model.JiraCommentRequest;
import org.agentplatform.agent.client.jira.model.JiraCommentResult;
import org.agentplatform.agent.messages.JiraSource;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.messages.TaskSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a Jira task with a comment on {@code source.jira.issue_key} through jira-service
 * ({@code addJiraComment}; the body is Markdown, the service converts it to ADF). The progress
 * message is a comment too, edited with {@code updateJiraComment}.
 */
@Singleton
public class JiraAnswerPoster implements AnswerPoster, ProgressMessenger {
    private static final Logger LOG = LoggerFactory.getLogger(JiraAnswerPoster.class);
    private static final String SERVICE = "jira-service";
    /** JiraCommentRequest.body maxLength in the contract. */
    static final int MAX_BODY = 32_767;
    private final JiraApi jira;

    public JiraAnswerPoster(JiraApi jira) {
        this.jira = jira;
    }

    @Override
    public String vendor() {
        return TaskSource.Vendor.JIRA.value();
    }

    @Override
    public int maxBodyChars() {
        return MAX_BODY;
    }

    @Override
    public PostResult post(AnswerRequest request) throws AnswerPostException {
        String issue = issueKey(request.message());
        JiraCommentResult r = comment(issue, request.body(), request.idempotencyKey(), request.correlationId());
        LOG.info("Answer posted on {} (comment {}{})", issue, r.getCommentId(), Boolean.TRUE.equals(r.getDryRun()) ? ", dry run" : "");
        return PostResult.posted(r.getCommentId(), "comment " + (r.getCommentId() == null ? "?" : r.getCommentId()) + " on " + issue
                + (Boolean.TRUE.equals(r.getDryRun()) ? " (jira-service dry run)" : ""));
    }

    @Override
    public boolean supportsProgress(TaskQueueMessage message) {
        return true;
    }

    @Override
    public String createProgress(TaskQueueMessage message, String text, String idempotencyKey, @Nullable String correlationId)
            throws AnswerPostException {
        JiraCommentResult r = comment(issueKey(message), text, idempotencyKey, correlationId);
        if (r.getCommentId() == null) {
            throw new AnswerPostException(SERVICE + " added the progress comment but named no comment id", false);
        }
        return r.getCommentId();
    }

    @Override
    public void editProgress(TaskQueueMessage message, String reference, String text, @Nullable String correlationId)
            throws AnswerPostException {
        String issue = issueKey(message);
        JiraCommentResult r = VendorCalls.call(SERVICE, () -> jira.updateJiraComment(issue, reference,
                new JiraCommentRequest(text), null, Answers.correlationHeader(correlationId)));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "update the comment", r.getError(), r.getMessage());
        }
    }

    private JiraCommentResult comment(String issue, String body, @Nullable String key, @Nullable String correlationId)
            throws AnswerPostException {
        JiraCommentResult r = VendorCalls.call(SERVICE, () -> jira.addJiraComment(issue, new JiraCommentRequest(body), key,
                Answers.correlationHeader(correlationId)));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "add the comment", r.getError(), r.getMessage());
        }
        return r;
    }

    private static String issueKey(TaskQueueMessage message) throws AnswerPostException {
        TaskSource source = message.getSource();
        JiraSource jira = source == null ? null : source.getJira();
        if (jira == null || jira.getIssueKey() == null || jira.getIssueKey().isBlank()) {
            throw new AnswerPostException("the task's source has no jira issue_key", false);
        }
        return jira.getIssueKey();
    }
}
