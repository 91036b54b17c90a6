package org.agentplatform.gateway.webhook.jira;

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
import org.agentplatform.gateway.config.JiraSettings;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.http.Problems;
import org.agentplatform.gateway.model.WebhookAck;
import org.agentplatform.gateway.webhook.DeliveryIntake;
import org.agentplatform.gateway.webhook.Hmac;
import org.agentplatform.gateway.webhook.JsonBodies;
import org.agentplatform.gateway.webhook.WebhookRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/jira} ({@code receiveJiraWebhook}): Jira Cloud admin webhooks with a secret,
 * signed {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>}. Deduplicated on
 * {@code X-Atlassian-Webhook-Identifier} (or, when Jira sends none, the SHA-256 of the body).
 */
@Controller("/webhooks")
public class JiraWebhookController {

    public static final String VENDOR = "jira";
    public static final String SIGNATURE = "X-Hub-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(JiraWebhookController.class);
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9._:-]{1,100}$");

    private final JiraSettings settings;
    private final JiraEventInterpreter interpreter;
    private final DeliveryIntake intake;
    private final JsonMapper json;
    private final long maxBodyBytes;

    public JiraWebhookController(JiraSettings settings, JiraEventInterpreter interpreter, DeliveryIntake intake,
                                 JsonMapper json, @Value("${gateway.max-body-bytes:26214400}") long maxBodyBytes) {
        this.settings = settings;
        this.interpreter = interpreter;
        this.intake = intake;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        if (!settings.hasWebhookSecret()) {
            LOG.warn("JIRA_WEBHOOK_SECRET is not set: every Jira delivery is refused with 401 until it is");
        }
    }

    /** The header value Jira sends for {@code body}. */
    public static String sign(byte[] body, String secret) {
        return "sha256=" + Hmac.sha256Hex(secret, body);
    }

    @Post(uri = "/jira", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, Problems.MEDIA_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<WebhookAck> jira(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] raw = WebhookRequests.body(body, maxBodyBytes);
        WebhookRequests.requireSecret(settings.hasWebhookSecret(), "Jira", "JIRA_WEBHOOK_SECRET");
        String signature = request.getHeaders().get(SIGNATURE);
        if (signature == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SIGNATURE
                    + " is missing: give the Jira webhook a secret (the value of JIRA_WEBHOOK_SECRET)");
        }
        if (!Hmac.matches(sign(raw, settings.getWebhookSecret()), signature)) {
            LOG.warn("Refused a Jira delivery: {} does not match the body", SIGNATURE);
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SIGNATURE
                    + " does not match the body: check JIRA_WEBHOOK_SECRET");
        }
        String identifier = WebhookRequests.header(request, "X-Atlassian-Webhook-Identifier", IDENTIFIER, false);
        String deliveryId = identifier != null ? identifier : "sha256-" + WebhookRequests.bodyHash(raw).substring(0, 64);
        JsonNode payload = JsonBodies.object(json, raw, "a Jira webhook payload");
        String event = JsonBodies.text(payload, "webhookEvent");
        var answer = intake.handle(new DeliveryIntake.Delivery(VENDOR, deliveryId,
                        event == null ? "unknown" : truncate(event), null,
                        Correlation.traceparent(request), WebhookRequests.correlationId(request)),
                () -> interpreter.decide(event, payload));
        return HttpResponse.<WebhookAck>status(answer.status()).body(answer.ack());
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
