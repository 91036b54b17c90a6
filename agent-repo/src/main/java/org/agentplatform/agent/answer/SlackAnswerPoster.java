package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.agent.client.slack.api.SlackApi;
import org.agentplatform.agent.client.slack.model.SlackMessageRequest;
import org.agentplatform.agent.client.slack.model.SlackMessageResult;
import org.agentplatform.agent.client.slack.model.SlackResponseUrlRequest;
import org.agentplatform.agent.client.slack.model.SlackResult;
import org.agentplatform.agent.client.slack.model.SlackUpdateRequest;
import org.agentplatform.agent.messages.SlackSource;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.messages.TaskSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Answers a Slack task through slack-service: a reply in the thread where the agent was mentioned
 * ({@code postSlackMessage} with {@code source.slack.channel} and {@code thread_ts}, falling back
 * to the mention's {@code message_ts}); a slash command ({@code source.slack.response_url} set)
 * is answered through {@code replyToResponseUrl}, visible to the channel ({@code in_channel}).
 * The progress message is a thread reply edited with {@code updateSlackMessage}; slash commands
 * get none (a response_url takes only a few uses within 30 minutes, the answer needs one).
 */
@Singleton
public class SlackAnswerPoster implements AnswerPoster, ProgressMessenger {
    private static final Logger LOG = LoggerFactory.getLogger(SlackAnswerPoster.class);
    private static final String SERVICE = "slack-service";
    /** SlackMessageRequest.text maxLength in the contract. */
    static final int MAX_TEXT = 40_000;
    private final SlackApi slack;

    public SlackAnswerPoster(SlackApi slack) {
        this.slack = slack;
    }

    @Override
    public String vendor() {
        return TaskSource.Vendor.SLACK.value();
    }

    @Override
    public int maxBodyChars() {
        return MAX_TEXT;
    }

    @Override
    public PostResult post(AnswerRequest request) throws AnswerPostException {
        SlackSource s = source(request.message());
        String correlation = Answers.correlationHeader(request.correlationId());
        if (isSlashCommand(s)) {
            SlackResponseUrlRequest body = new SlackResponseUrlRequest(responseUrl(s), request.body())
                    .responseType(SlackResponseUrlRequest.ResponseTypeEnum.IN_CHANNEL);
            SlackResult r = VendorCalls.call(SERVICE, () -> slack.replyToResponseUrl(body, request.idempotencyKey(), correlation));
            if (!Boolean.TRUE.equals(r.getSuccess())) {
                throw VendorCalls.notDone(SERVICE, "answer the slash command", r.getError(), r.getMessage());
            }
            LOG.info("Answer sent to the slash command's response_url in {}{}", s.getChannel(),
                    Boolean.TRUE.equals(r.getDryRun()) ? " (dry run)" : "");
            return PostResult.posted(null, "slash command answered in " + s.getChannel()
                    + (Boolean.TRUE.equals(r.getDryRun()) ? " (slack-service dry run)" : ""));
        }
        SlackMessageResult r = message(s, request.body(), request.idempotencyKey(), correlation);
        LOG.info("Answer posted in {} thread {} (ts {})", s.getChannel(), thread(s), r.getTs());
        return PostResult.posted(r.getTs(), "reply " + r.getTs() + " in " + s.getChannel()
                + (thread(s) == null ? "" : " thread " + thread(s))
                + (Boolean.TRUE.equals(r.getDryRun()) ? " (slack-service dry run)" : ""));
    }

    @Override
    public boolean supportsProgress(TaskQueueMessage message) {
        TaskSource source = message.getSource();
        return source != null && source.getSlack() != null && !isSlashCommand(source.getSlack());
    }

    @Override
    public String createProgress(TaskQueueMessage message, String text, String idempotencyKey, @Nullable String correlationId)
            throws AnswerPostException {
        SlackMessageResult r = message(source(message), text, idempotencyKey, Answers.correlationHeader(correlationId));
        if (r.getTs() == null) {
            throw new AnswerPostException(SERVICE + " posted the progress message but named no ts", false);
        }
        return r.getTs();
    }

    @Override
    public void editProgress(TaskQueueMessage message, String reference, String text, @Nullable String correlationId)
            throws AnswerPostException {
        SlackSource s = source(message);
        SlackMessageResult r = VendorCalls.call(SERVICE, () -> slack.updateSlackMessage(
                new SlackUpdateRequest(s.getChannel(), reference, text), null, Answers.correlationHeader(correlationId)));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "update the message", r.getError(), r.getMessage());
        }
    }

    private SlackMessageResult message(SlackSource s, String text, @Nullable String key, @Nullable String correlation)
            throws AnswerPostException {
        SlackMessageRequest body = new SlackMessageRequest(s.getChannel(), text);
        body.setThreadTs(thread(s));
        SlackMessageResult r = VendorCalls.call(SERVICE, () -> slack.postSlackMessage(body, key, correlation));
        if (!Boolean.TRUE.equals(r.getSuccess())) {
            throw VendorCalls.notDone(SERVICE, "post the message", r.getError(), r.getMessage());
        }
        return r;
    }

    /** The thread to answer in: the mention's thread, or the mention itself (which starts one). */
    private static String thread(SlackSource s) {
        return blank(s.getThreadTs()) ? (blank(s.getMessageTs()) ? null : s.getMessageTs()) : s.getThreadTs();
    }

    private static boolean isSlashCommand(SlackSource s) {
        return !blank(s.getResponseUrl());
    }

    private static URI responseUrl(SlackSource s) throws AnswerPostException {
        try {
            return new URI(s.getResponseUrl());
        } catch (URISyntaxException e) {
            throw new AnswerPostException("the slash command's response_url is not a URL: " + e.getMessage(), false);
        }
    }

    private static SlackSource source(TaskQueueMessage message) throws AnswerPostException {
        TaskSource source = message.getSource();
        SlackSource s = source == null ? null : source.getSlack();
        if (s == null || blank(s.getChannel())) {
            throw new AnswerPostException("the task's source has no slack channel", false);
        }
        return s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
