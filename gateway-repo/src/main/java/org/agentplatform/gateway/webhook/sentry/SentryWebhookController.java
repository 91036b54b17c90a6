package org.agentplatform.gateway.webhook.sentry;

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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.gateway.config.SentrySettings;
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
 * {@code POST /webhooks/sentry} ({@code receiveSentryWebhook}): a Sentry integration's webhooks,
 * signed {@code Sentry-Hook-Signature: <hex HMAC-SHA256 of the raw body with the client secret>}.
 * Sentry waits about one second, so nothing is fetched here: the stack trace is added after the
 * answer ({@link org.agentplatform.gateway.sentry.SentryEnrichment}). Deduplicated on
 * {@code Request-ID} (or the SHA-256 of the body when it is missing).
 */
@Controller("/webhooks")
public class SentryWebhookController {

    public static final String VENDOR = "sentry";
    public static final String SIGNATURE = "Sentry-Hook-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(SentryWebhookController.class);
    private static final Pattern RESOURCE = Pattern.compile("^[a-z_]{1,50}$");
    private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9-]{1,100}$");
    private static final Pattern TIMESTAMP = Pattern.compile("^[0-9]{1,12}$");

    private final SentrySettings settings;
    private final SentryEventInterpreter interpreter;
    private final DeliveryIntake intake;
    private final JsonMapper json;
    private final long maxBodyBytes;

    public SentryWebhookController(SentrySettings settings, SentryEventInterpreter interpreter, DeliveryIntake intake,
                                   JsonMapper json, @Value("${gateway.max-body-bytes:26214400}") long maxBodyBytes) {
        this.settings = settings;
        this.interpreter = interpreter;
        this.intake = intake;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        if (!settings.hasClientSecret()) {
            LOG.warn("SENTRY_CLIENT_SECRET is not set: every Sentry delivery is refused with 401 until it is");
        }
    }

    /** The header value Sentry sends for {@code body}. */
    public static String sign(byte[] body, String secret) {
        return Hmac.sha256Hex(secret, body);
    }

    @Post(uri = "/sentry", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, Problems.MEDIA_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<WebhookAck> sentry(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] raw = WebhookRequests.body(body, maxBodyBytes);
        WebhookRequests.requireSecret(settings.hasClientSecret(), "Sentry", "SENTRY_CLIENT_SECRET");
        String signature = request.getHeaders().get(SIGNATURE);
        if (signature == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SIGNATURE + " is missing");
        }
        if (!Hmac.matches(sign(raw, settings.getClientSecret()), signature)) {
            LOG.warn("Refused a Sentry delivery: {} does not match the body", SIGNATURE);
            throw new ProblemException(HttpStatus.UNAUTHORIZED, SIGNATURE
                    + " does not match the body: check SENTRY_CLIENT_SECRET (the integration's Client Secret)");
        }
        String resource = WebhookRequests.header(request, "Sentry-Hook-Resource", RESOURCE, true);
        String requestId = WebhookRequests.header(request, "Request-ID", REQUEST_ID, false);
        WebhookRequests.header(request, "Sentry-Hook-Timestamp", TIMESTAMP, false);
        String deliveryId = requestId != null ? requestId : "sha256-" + WebhookRequests.bodyHash(raw);
        var answer = intake.handle(new DeliveryIntake.Delivery(VENDOR, deliveryId, resource, null,
                        Correlation.traceparent(request), WebhookRequests.correlationId(request)),
                () -> interpreter.decide(resource, JsonBodies.object(json, raw, "a Sentry webhook payload")));
        return HttpResponse.<WebhookAck>status(answer.status()).body(answer.ack());
    }
}
