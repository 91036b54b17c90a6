package org.agentplatform.gateway.webhook.slack;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.gateway.config.SlackSettings;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.http.Problems;
import org.agentplatform.gateway.model.SlackWebhookAnswer;
import org.agentplatform.gateway.model.WebhookAck;
import org.agentplatform.gateway.webhook.DeliveryIntake;
import org.agentplatform.gateway.webhook.JsonBodies;
import org.agentplatform.gateway.webhook.WebhookRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/slack} ({@code receiveSlackWebhook}): Events API requests (JSON) and slash
 * commands (form-encoded). Hand-written like the GitHub webhook: the signature covers the raw bytes.
 * Order: size (413), secret configured, timestamp within 5 minutes and signature (401), then the
 * body. The answer is always 200 with Slack's format ({@code SlackWebhookAnswer}) and comes at once:
 * no outbound call happens on this thread (Slack gives up after 3 seconds); the reaction and the
 * enqueue follow in the background.
 */
@Controller("/webhooks")
public class SlackWebhookController {

    public static final String VENDOR = "slack";
    private static final Logger LOG = LoggerFactory.getLogger(SlackWebhookController.class);
    private static final Pattern TIMESTAMP = Pattern.compile("^[0-9]{1,12}$");
    private static final Pattern EVENT_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,100}$");
    private static final Pattern RETRY_NUM = Pattern.compile("^[0-9]{1,3}$");
    private static final Pattern RETRY_REASON = Pattern.compile("^[a-z_]{1,100}$");

    private final SlackSettings settings;
    private final SlackEventInterpreter interpreter;
    private final DeliveryIntake intake;
    private final JsonMapper json;
    private final long maxBodyBytes;

    public SlackWebhookController(SlackSettings settings, SlackEventInterpreter interpreter, DeliveryIntake intake,
                                  JsonMapper json, @Value("${gateway.max-body-bytes:26214400}") long maxBodyBytes) {
        this.settings = settings;
        this.interpreter = interpreter;
        this.intake = intake;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        if (!settings.hasSigningSecret()) {
            LOG.warn("SLACK_SIGNING_SECRET is not set: every Slack request is refused with 401 until it is");
        }
    }

    @Post(uri = "/slack", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, Problems.MEDIA_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<SlackWebhookAnswer> slack(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] raw = WebhookRequests.body(body, maxBodyBytes);
        WebhookRequests.requireSecret(settings.hasSigningSecret(), "Slack", "SLACK_SIGNING_SECRET");
        verify(request, raw);
        String retry = WebhookRequests.header(request, "X-Slack-Retry-Num", RETRY_NUM, false);
        String retryReason = WebhookRequests.header(request, "X-Slack-Retry-Reason", RETRY_REASON, false);

        MediaType type = request.getContentType().orElse(MediaType.APPLICATION_JSON_TYPE);
        String correlationId = WebhookRequests.correlationId(request);
        String traceparent = Correlation.traceparent(request);
        if (type.getName().equals(MediaType.APPLICATION_FORM_URLENCODED)) {
            return HttpResponse.ok(command(form(raw), traceparent, correlationId));
        }
        if (!type.getName().equals(MediaType.APPLICATION_JSON)) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Slack sends application/json (Events API)"
                    + " or application/x-www-form-urlencoded (slash commands), not " + type.getName());
        }
        JsonNode payload = JsonBodies.object(json, raw, "a Slack Events API request");
        String kind = JsonBodies.text(payload, "type");
        if ("url_verification".equals(kind)) {
            // Slack's handshake when the Request URL is saved: echo the challenge, store nothing
            return HttpResponse.ok(new SlackWebhookAnswer().challenge(JsonBodies.required(payload, "challenge")));
        }
        if (!"event_callback".equals(kind)) {
            return HttpResponse.ok(new SlackWebhookAnswer().outcome(SlackWebhookAnswer.OutcomeEnum.IGNORED)
                    .text("Slack request type '" + kind + "' does not create tasks"));
        }
        String eventId = JsonBodies.required(payload, "event_id");
        if (!EVENT_ID.matcher(eventId).matches()) {
            throw ProblemException.badField("event_id", "must match " + EVENT_ID.pattern());
        }
        if (retry != null) {
            LOG.info("Slack retry #{} of event {} ({})", retry, eventId, retryReason);
        }
        String event = JsonBodies.text(payload, "event", "type");
        var answer = intake.handle(new DeliveryIntake.Delivery(VENDOR, eventId, event == null ? "event_callback" : event,
                null, traceparent, correlationId), () -> interpreter.decideEvent(payload));
        WebhookAck ack = answer.ack();
        return HttpResponse.ok(new SlackWebhookAnswer().outcome(outcome(ack)).taskId(ack.getTaskId())
                .text(ack.getReason()));
    }

    private SlackWebhookAnswer command(Map<String, String> form, @Nullable String traceparent, String correlationId) {
        String trigger = form.get("trigger_id");
        if (trigger == null || !EVENT_ID.matcher(trigger).matches()) {
            throw ProblemException.badField("trigger_id", "is required and must match " + EVENT_ID.pattern());
        }
        var answer = intake.handle(new DeliveryIntake.Delivery(VENDOR, trigger, "slash_command", null, traceparent,
                correlationId), () -> interpreter.decideCommand(form));
        WebhookAck ack = answer.ack();
        String text;
        if (ack.getTaskId() != null) {
            text = (ack.getDuplicate() ? "Already on it: task " : "On it: task ") + shortId(ack.getTaskId());
        } else if (form.getOrDefault("text", "").isBlank()) {
            text = SlackEventInterpreter.USAGE;
        } else {
            text = "Nothing to do: " + ack.getReason();
        }
        // ephemeral: only the person who typed the command sees the acknowledgement
        return new SlackWebhookAnswer().responseType(SlackWebhookAnswer.ResponseTypeEnum.EPHEMERAL).text(text)
                .outcome(outcome(ack)).taskId(ack.getTaskId());
    }

    private void verify(HttpRequest<?> request, byte[] raw) {
        String timestamp = request.getHeaders().get(SlackSignature.TIMESTAMP_HEADER);
        if (timestamp == null || !TIMESTAMP.matcher(timestamp).matches()) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SlackSignature.TIMESTAMP_HEADER
                    + " is missing or not a Unix time in seconds: the request cannot be verified");
        }
        if (!SlackSignature.fresh(Long.parseLong(timestamp), Instant.now(), settings.getMaxClockSkew())) {
            LOG.warn("Refused a Slack request: {} {} is more than {} from now", SlackSignature.TIMESTAMP_HEADER,
                    timestamp, settings.getMaxClockSkew());
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SlackSignature.TIMESTAMP_HEADER
                    + " is more than " + settings.getMaxClockSkew().toMinutes() + " minutes from now: a replayed"
                    + " or delayed request is refused (check the gateway's clock)");
        }
        String signature = request.getHeaders().get(SlackSignature.HEADER);
        if (signature == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SlackSignature.HEADER + " is missing");
        }
        if (!SlackSignature.matches(timestamp, raw, settings.getSigningSecret(), signature)) {
            LOG.warn("Refused a Slack request: {} does not match the body", SlackSignature.HEADER);
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SlackSignature.HEADER
                    + " does not match the body: check SLACK_SIGNING_SECRET (the app's Signing Secret)");
        }
    }

    private static Map<String, String> form(byte[] raw) {
        Map<String, String> form = new LinkedHashMap<>();
        String s = WebhookRequests.utf8(raw);
        if (s.isEmpty()) {
            return form;
        }
        try {
            for (String pair : s.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "The body is not valid form encoding");
        }
        return form;
    }

    private static SlackWebhookAnswer.OutcomeEnum outcome(WebhookAck ack) {
        if (ack.getDuplicate()) {
            return SlackWebhookAnswer.OutcomeEnum.DUPLICATE;
        }
        return SlackWebhookAnswer.OutcomeEnum.fromValue(ack.getOutcome().getValue());
    }

    private static String shortId(String taskId) {
        return taskId.length() > 8 ? taskId.substring(0, 8) : taskId;
    }
}
