package org.agentplatform.gateway.task;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.TaskSettings;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.model.CreateTaskRequest;
import org.agentplatform.gateway.webhook.GithubComment;
import org.agentplatform.gateway.webhook.TaskSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Builds the {@link TaskQueueMessage} (generated from the contract's JSON Schema) for a new task. */
@Singleton
public class TaskFactory {

    private final TaskSettings settings;
    private final JsonMapper json;

    public TaskFactory(TaskSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** The task for a GitHub comment that mentioned the trigger. */
    public TaskQueueMessage fromGithubComment(GithubComment comment, String correlationId, String traceparent,
                                              OffsetDateTime now) {
        GithubSource github = new GithubSource()
                .withOwner(comment.owner())
                .withRepo(comment.repo())
                .withNumber(comment.number())
                .withCommentId(comment.commentId())
                .withCommentType(comment.commentType())
                .withIsPullRequest(comment.pullRequest());
        TaskSource source = new TaskSource()
                .withVendor(TaskSource.Vendor.GITHUB)
                .withUrl(comment.htmlUrl())
                .withGithub(github);
        return base(now, correlationId, traceparent)
                .withSessionId(comment.sessionId())
                .withUserId(comment.login())
                .withInputMessage(comment.body())
                .withAgentType(settings.getAgentType())
                .withModel(settings.getModel())
                .withPriority(0L)
                .withSource(source);
    }

    /** The task a vendor webhook asked for ({@link TaskSpec}); agent_type defaults to AGENT_TYPE. */
    public TaskQueueMessage fromSpec(TaskSpec spec, String correlationId, String traceparent, OffsetDateTime now) {
        return base(now, correlationId, traceparent)
                .withSessionId(spec.sessionId())
                .withUserId(spec.userId())
                .withInputMessage(spec.inputMessage())
                .withAgentType(spec.agentType() != null ? spec.agentType() : settings.getAgentType())
                .withModel(settings.getModel())
                .withPriority(0L)
                .withSource(spec.source());
    }

    /** The task for {@code POST /api/v1/tasks}; missing values get the configured defaults. */
    public TaskQueueMessage fromRequest(CreateTaskRequest request, String correlationId, String traceparent,
                                        OffsetDateTime now) {
        TaskQueueMessage message = base(now, correlationId, traceparent);
        TaskSource source = request.getSource() == null
                ? new TaskSource().withVendor(TaskSource.Vendor.API)
                : convert(request.getSource(), TaskSource.class);
        return message
                .withSessionId(request.getSessionId() != null ? request.getSessionId() : "api:" + message.getTaskId())
                .withUserId(request.getUserId())
                .withInputMessage(request.getInputMessage())
                .withAgentType(request.getAgentType() != null ? request.getAgentType() : settings.getAgentType())
                .withModel(request.getModel() != null ? request.getModel() : settings.getModel())
                .withPriority(request.getPriority() == null ? 0L : request.getPriority().longValue())
                .withTimeoutSeconds(request.getTimeoutSeconds() == null ? null : request.getTimeoutSeconds().longValue())
                .withMaxCostUsd(request.getMaxCostUsd() == null ? null : request.getMaxCostUsd().doubleValue())
                .withSource(source);
    }

    private static TaskQueueMessage base(OffsetDateTime now, String correlationId, String traceparent) {
        String taskId = UUID.randomUUID().toString();
        return new TaskQueueMessage()
                .withTaskId(taskId)
                .withAssignedAgent(null)
                .withCreatedAt(now)
                .withCorrelationId(correlationId)
                .withTraceparent(Traceparent.ofTaskSpan(traceparent, taskId));
    }

    /**
     * Between the API's {@code TaskSource} (OpenAPI) and the message's (JSON Schema): both are
     * generated from the contracts with the same snake_case JSON, so JSON is the conversion.
     */
    public <T> T convert(Object from, Class<T> to) {
        try {
            return json.readValue(json.writeValueAsBytes(from), to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
