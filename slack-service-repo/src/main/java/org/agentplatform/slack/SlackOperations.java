package org.agentplatform.slack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.agentplatform.slack.calls.CallLog;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.agentplatform.slack.config.SlackSettings;
import org.agentplatform.slack.model.SlackMessageRequest;
import org.agentplatform.slack.model.SlackMessageResult;
import org.agentplatform.slack.model.SlackReactionRequest;
import org.agentplatform.slack.model.SlackResponseUrlRequest;
import org.agentplatform.slack.model.SlackResult;
import org.agentplatform.slack.model.SlackUpdateRequest;
import org.agentplatform.slack.slack.MarkdownToMrkdwn;
import org.agentplatform.slack.slack.PostedMessageLookup;
import org.agentplatform.slack.slack.ResponseUrlClient;
import org.agentplatform.slack.slack.ResponseUrlGuard;
import org.agentplatform.slack.slack.RetryingSender;
import org.agentplatform.slack.slack.SlackErrors;
import org.agentplatform.slack.slack.SlackJson;
import org.agentplatform.slack.slack.SlackWebApi;
import org.agentplatform.slack.web.CorrelationFilter;
import org.agentplatform.slack.web.ProblemException;
import org.agentplatform.slack.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The four things slack-service does, each the same way: convert the text, claim the
 * {@code Idempotency-Key} in the call log (or replay the first answer), then either answer
 * synthetically (dry-run: nothing sent) or call Slack with retries, map the answer, and record the
 * outcome.
 */
@Singleton
public class SlackOperations {

    private static final Logger LOG = LoggerFactory.getLogger(SlackOperations.class);

    static final String POST_MESSAGE = "postSlackMessage";
    static final String UPDATE_MESSAGE = "updateSlackMessage";
    static final String ADD_REACTION = "addSlackReaction";
    static final String REPLY_RESPONSE_URL = "replyToResponseUrl";

    private final SlackSettings settings;
    private final SlackWebApi webApi;
    private final PostedMessageLookup messageLookup;
    private final ResponseUrlClient responseUrlClient;
    private final ResponseUrlGuard responseUrlGuard;
    private final MarkdownToMrkdwn mrkdwn;
    private final CallLog callLog;
    private final SlackJson json;
    private final Problems problems;
    private final MeterRegistry meters;
    private final AtomicLong syntheticSequence = new AtomicLong();

    public SlackOperations(SlackSettings settings, SlackWebApi webApi, PostedMessageLookup messageLookup,
                           ResponseUrlClient responseUrlClient, ResponseUrlGuard responseUrlGuard, MarkdownToMrkdwn mrkdwn,
                           CallLog callLog, SlackJson json, Problems problems, MeterRegistry meters) {
        this.settings = settings;
        this.webApi = webApi;
        this.messageLookup = messageLookup;
        this.responseUrlClient = responseUrlClient;
        this.responseUrlGuard = responseUrlGuard;
        this.mrkdwn = mrkdwn;
        this.callLog = callLog;
        this.json = json;
        this.problems = problems;
        this.meters = meters;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (settings.dryRunActive()) {
            LOG.warn("DRY-RUN: {}; nothing is sent to Slack, every call is recorded and answered with dry_run=true",
                    settings.dryRunReason());
        } else {
            LOG.info("Slack Web API at {}; response_url hosts allowed: {}", settings.getApiUrl(), settings.responseUrlHostList());
        }
    }

    // ---- the operations -------------------------------------------------------------------

    public SlackMessageResult postMessage(SlackMessageRequest request, @Nullable String idempotencyKey,
                                          @Nullable String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", request.getChannel());
        body.put("text", mrkdwn.convert(request.getText()));
        if (request.getThreadTs() != null) {
            body.put("thread_ts", request.getThreadTs());
        }
        // the mark a lost attempt's message is found by (an own one when the caller gave no key)
        String messageKey = idempotencyKey != null ? idempotencyKey : "slack-service-" + UUID.randomUUID();
        body.put("metadata", PostedMessageLookup.metadata(messageKey));
        String payload = json.write(body);
        RetryingSender.LostAnswerCheck lostAnswer = messageLookup.check(request.getChannel(), request.getThreadTs(), messageKey);
        return execute(POST_MESSAGE, webApi.uri("chat.postMessage").toString(), payload, idempotencyKey, correlationId,
                SlackMessageResult.class,
                () -> {
                    String ts = syntheticTs();
                    return new Outcome<>(new SlackMessageResult(true, true, "Dry run: message not sent (" + settings.dryRunReason() + ")")
                            .channel(request.getChannel()).ts(ts), null, ts, 0);
                },
                unansweredBefore -> {
                    SlackWebApi.Answer answer = webApi.call("chat.postMessage", payload, lostAnswer, unansweredBefore);
                    if (!answer.ok()) {
                        throw new VendorFailure(SlackErrors.webApi(answer), answer.status(), answer.exchange());
                    }
                    String ts = SlackJson.text(answer.json(), "ts");
                    String channel = SlackJson.text(answer.json(), "channel");
                    SlackMessageResult result = new SlackMessageResult(true, false,
                            request.getThreadTs() == null ? "Message posted" : "Reply posted in thread")
                            .channel(channel != null ? channel : request.getChannel()).ts(ts);
                    return new Outcome<>(result, answer.status(), ts, answer.exchange());
                });
    }

    public SlackMessageResult updateMessage(SlackUpdateRequest request, @Nullable String idempotencyKey,
                                            @Nullable String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", request.getChannel());
        body.put("ts", request.getTs());
        body.put("text", mrkdwn.convert(request.getText()));
        String payload = json.write(body);
        return execute(UPDATE_MESSAGE, webApi.uri("chat.update").toString(), payload, idempotencyKey, correlationId,
                SlackMessageResult.class,
                () -> new Outcome<>(new SlackMessageResult(true, true, "Dry run: message not updated (" + settings.dryRunReason() + ")")
                        .channel(request.getChannel()).ts(request.getTs()), null, request.getTs(), 0),
                unansweredBefore -> {
                    SlackWebApi.Answer answer = webApi.call("chat.update", payload);
                    if (!answer.ok()) {
                        throw new VendorFailure(SlackErrors.webApi(answer), answer.status(), answer.exchange());
                    }
                    String ts = SlackJson.text(answer.json(), "ts");
                    String channel = SlackJson.text(answer.json(), "channel");
                    SlackMessageResult result = new SlackMessageResult(true, false, "Message updated")
                            .channel(channel != null ? channel : request.getChannel())
                            .ts(ts != null ? ts : request.getTs());
                    return new Outcome<>(result, answer.status(), result.getTs(), answer.exchange());
                });
    }

    public SlackResult addReaction(SlackReactionRequest request, @Nullable String idempotencyKey,
                                   @Nullable String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", request.getChannel());
        body.put("timestamp", request.getTimestamp());
        body.put("name", request.getName());
        String payload = json.write(body);
        return execute(ADD_REACTION, webApi.uri("reactions.add").toString(), payload, idempotencyKey, correlationId,
                SlackResult.class,
                () -> new Outcome<>(new SlackResult(true, true, "Dry run: reaction not added (" + settings.dryRunReason() + ")"),
                        null, null, 0),
                unansweredBefore -> {
                    SlackWebApi.Answer answer = webApi.call("reactions.add", payload);
                    if (!answer.ok()) {
                        if ("already_reacted".equals(answer.error()) && !answer.exchange().gaveUp()) {
                            return new Outcome<>(new SlackResult(true, false, "Reaction already present").error("already_reacted"),
                                    answer.status(), null, answer.exchange());
                        }
                        throw new VendorFailure(SlackErrors.webApi(answer), answer.status(), answer.exchange());
                    }
                    return new Outcome<>(new SlackResult(true, false, "Reaction added"), answer.status(), null,
                            answer.exchange());
                });
    }

    public SlackResult replyToResponseUrl(SlackResponseUrlRequest request, @Nullable String idempotencyKey,
                                          @Nullable String correlationId) {
        URI target = responseUrlGuard.check(request.getResponseUrl());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", mrkdwn.convert(request.getText()));
        body.put("response_type", request.getResponseType() == null
                ? SlackResponseUrlRequest.ResponseTypeEnum.IN_CHANNEL.getValue()
                : request.getResponseType().getValue());
        body.put("replace_original", request.getReplaceOriginal() != null && request.getReplaceOriginal());
        String payload = json.write(body);
        return execute(REPLY_RESPONSE_URL, ResponseUrlGuard.redact(target), payload, idempotencyKey, correlationId,
                SlackResult.class,
                () -> new Outcome<>(new SlackResult(true, true, "Dry run: reply not sent (" + settings.dryRunReason() + ")"),
                        null, null, 0),
                unansweredBefore -> {
                    ResponseUrlClient.Answer answer = responseUrlClient.post(target, payload, unansweredBefore);
                    Integer status = answer.exchange().response() == null ? null : answer.exchange().response().status();
                    if (!answer.ok()) {
                        throw new VendorFailure(SlackErrors.responseUrl(answer.exchange(), answer.code()), status,
                                answer.exchange());
                    }
                    return new Outcome<>(new SlackResult(true, false, "Reply sent"), status, null, answer.exchange());
                });
    }

    // ---- the common path ------------------------------------------------------------------

    /** A success: what we answer, and what goes into the call log. */
    record Outcome<T>(T result, @Nullable Integer statusCode, @Nullable String vendorId, int attempts,
                      @Nullable Instant unansweredSince) {

        Outcome(T result, @Nullable Integer statusCode, @Nullable String vendorId, int attempts) {
            this(result, statusCode, vendorId, attempts, null);
        }

        Outcome(T result, @Nullable Integer statusCode, @Nullable String vendorId, RetryingSender.Exchange exchange) {
            this(result, statusCode, vendorId, exchange.attempts(), exchange.unansweredSince());
        }
    }

    /** A Slack failure, with what the call log needs to know about it. */
    static final class VendorFailure extends RuntimeException {
        final ProblemException problem;
        @Nullable
        final Integer statusCode;
        final int attempts;
        /** When an attempt started that may have reached Slack without an answer (null: none). */
        @Nullable
        final Instant unansweredSince;

        VendorFailure(ProblemException problem, @Nullable Integer statusCode, RetryingSender.Exchange exchange) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
            this.statusCode = statusCode;
            this.attempts = exchange.attempts();
            this.unansweredSince = exchange.unansweredSince();
        }
    }

    private <T> T execute(String operation, String url, String payload, @Nullable String idempotencyKey,
                          @Nullable String correlationIdHeader, Class<T> resultType,
                          Supplier<Outcome<T>> dryRunAnswer, Function<Instant, Outcome<T>> realCall) {
        boolean dryRun = settings.dryRunActive();
        String correlationId = correlationId(correlationIdHeader);
        CallLog.Claim claim = callLog.begin(new CallLog.NewCall(operation, "POST", url, payload, dryRun, idempotencyKey,
                correlationId));
        if (claim instanceof CallLog.Replay replay) {
            count(operation, "replayed");
            ServerRequestContext.currentRequest().ifPresent(r -> r.setAttribute(CorrelationFilter.REPLAYED_ATTRIBUTE, true));
            return json.read(replay.body(), resultType);
        }
        OutboundCallRow row = ((CallLog.Proceed) claim).row();
        long started = System.nanoTime();
        try {
            // an earlier request with this key failed after an attempt that may have reached Slack unanswered
            Instant unansweredBefore = dryRun || idempotencyKey == null ? null
                    : callLog.unansweredSince(operation, idempotencyKey).orElse(null);
            if (unansweredBefore != null) {
                LOG.info("{} with Idempotency-Key {}: an earlier attempt (started {}) got no answer; checking before sending",
                        operation, idempotencyKey, unansweredBefore);
            }
            Outcome<T> outcome = dryRun ? dryRunAnswer.get() : realCall.apply(unansweredBefore);
            long millis = (System.nanoTime() - started) / 1_000_000;
            callLog.succeeded(row, outcome.statusCode(), outcome.vendorId(), millis, outcome.attempts(),
                    HttpStatus.OK.getCode(), json.write(outcome.result()), outcome.unansweredSince());
            count(operation, dryRun ? "dry_run" : "succeeded");
            LOG.info("{} {}: {} (call {}, {} attempt(s), {} ms)", operation, dryRun ? "dry-run" : "sent",
                    outcome.vendorId() == null ? "ok" : outcome.vendorId(), row.id(), outcome.attempts(), millis);
            return outcome.result();
        } catch (VendorFailure failure) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            ProblemException problem = failure.problem;
            String error = problem.slackError() != null ? problem.slackError() + ": " + problem.detail() : problem.detail();
            callLog.failed(row, failure.statusCode, millis, failure.attempts, error, problem.status().getCode(),
                    problems.json(problems.problem(problem.status(), problem.detail(), null, problem.slackError(), problem.invalidParams())),
                    failure.unansweredSince);
            count(operation, "failed");
            LOG.warn("{} failed: {} (call {}, {} attempt(s), {} ms)", operation, problem.detail(), row.id(), failure.attempts, millis);
            throw problem;
        } catch (RuntimeException unexpected) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            callLog.failed(row, null, millis, 0, "internal: " + unexpected.getClass().getSimpleName(),
                    HttpStatus.INTERNAL_SERVER_ERROR.getCode(), null, null);
            count(operation, "failed");
            throw unexpected;
        }
    }

    private void count(String operation, String outcome) {
        Counter.builder("slack.calls")
                .description("Calls of slack-service's operations by outcome (succeeded, failed, dry_run, replayed)")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    @Nullable
    private static String correlationId(@Nullable String header) {
        String fromFilter = MDC.get(CorrelationFilter.MDC_KEY);
        if (fromFilter != null) {
            return fromFilter;
        }
        return header;
    }

    /** A ts in Slack's shape ({@code 1700000000.000100}) so a dry-run caller can "update" what it posted. */
    private String syntheticTs() {
        long seconds = Instant.now().getEpochSecond();
        return seconds + "." + String.format("%06d", syntheticSequence.incrementAndGet() % 1_000_000);
    }
}
