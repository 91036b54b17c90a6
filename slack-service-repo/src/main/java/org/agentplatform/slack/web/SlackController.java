package org.agentplatform.slack.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.slack.SlackOperations;
import org.agentplatform.slack.api.AbstractSlackController;
import org.agentplatform.slack.model.SlackMessageRequest;
import org.agentplatform.slack.model.SlackMessageResult;
import org.agentplatform.slack.model.SlackReactionRequest;
import org.agentplatform.slack.model.SlackResponseUrlRequest;
import org.agentplatform.slack.model.SlackResult;
import org.agentplatform.slack.model.SlackUpdateRequest;

/**
 * The generated {@code slack} API of the contract; HTTP in, domain call out. Runs on the blocking
 * executor: every operation waits for Slack (and possibly for retries).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class SlackController extends AbstractSlackController {

    private final SlackOperations operations;

    public SlackController(SlackOperations operations) {
        this.operations = operations;
    }

    @Override
    public SlackMessageResult postSlackMessage(SlackMessageRequest request, @Nullable String idempotencyKey,
                                               @Nullable String correlationId) {
        return operations.postMessage(request, idempotencyKey, correlationId);
    }

    @Override
    public SlackMessageResult updateSlackMessage(SlackUpdateRequest request, @Nullable String idempotencyKey,
                                                 @Nullable String correlationId) {
        return operations.updateMessage(request, idempotencyKey, correlationId);
    }

    @Override
    public SlackResult addSlackReaction(SlackReactionRequest request, @Nullable String idempotencyKey,
                                        @Nullable String correlationId) {
        return operations.addReaction(request, idempotencyKey, correlationId);
    }

    @Override
    public SlackResult replyToResponseUrl(SlackResponseUrlRequest request, @Nullable String idempotencyKey,
                                          @Nullable String correlationId) {
        return operations.replyToResponseUrl(request, idempotencyKey, correlationId);
    }
}
