package org.agentplatform.gateway.webhook;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.gateway.config.GithubSettings;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.http.Problems;
import org.agentplatform.gateway.model.WebhookAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/github} ({@code receiveGithubWebhook} of the gateway contract).
 *
 * <p>Hand-written rather than generated: the signature must be checked on the raw bytes before
 * anything parses them, so the body is bound as {@code byte[]}. It answers with the contract's
 * generated {@link WebhookAck} model. Order of checks: size (413), signature (401), headers (400),
 * then {@link GithubWebhookService}.
 */
@Controller("/webhooks")
public class GithubWebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(GithubWebhookController.class);
    private static final Pattern EVENT = Pattern.compile("^[a-z_]{1,100}$");
    private static final Pattern DELIVERY = Pattern.compile("^[A-Za-z0-9-]{1,100}$");
    private static final Pattern HOOK_ID = Pattern.compile("^[0-9]{1,32}$");

    private final GithubSettings settings;
    private final GithubWebhookService service;
    private final long maxBodyBytes;

    public GithubWebhookController(GithubSettings settings, GithubWebhookService service,
                                   @Value("${gateway.max-body-bytes:26214400}") long maxBodyBytes) {
        this.settings = settings;
        this.service = service;
        this.maxBodyBytes = maxBodyBytes;
        if (!settings.hasWebhookSecret()) {
            LOG.warn("GITHUB_WEBHOOK_SECRET is not set: every GitHub delivery is refused with 401 until it is");
        }
    }

    @Post(uri = "/github", consumes = MediaType.ALL, produces = {MediaType.APPLICATION_JSON, Problems.MEDIA_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<WebhookAck> github(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > maxBodyBytes) {
            throw new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The body is " + raw.length + " bytes; the limit is " + maxBodyBytes);
        }
        if (!settings.hasWebhookSecret()) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "GITHUB_WEBHOOK_SECRET is not set on the gateway,"
                    + " so no GitHub delivery can be verified and all are refused: set GITHUB_WEBHOOK_SECRET to the"
                    + " webhook's secret");
        }
        String signature = request.getHeaders().get(GithubSignature.HEADER);
        if (signature == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, GithubSignature.HEADER
                    + " is missing: give the webhook a secret (the value of GITHUB_WEBHOOK_SECRET)");
        }
        if (!GithubSignature.matches(raw, settings.getWebhookSecret(), signature)) {
            LOG.warn("Refused a GitHub delivery ({}): {} does not match the body",
                    request.getHeaders().get("X-GitHub-Delivery"), GithubSignature.HEADER);
            throw new ProblemException(HttpStatus.UNAUTHORIZED, GithubSignature.HEADER
                    + " does not match the body: check GITHUB_WEBHOOK_SECRET");
        }

        String event = header(request, "X-GitHub-Event", EVENT, true);
        String deliveryId = header(request, "X-GitHub-Delivery", DELIVERY, true);
        String hookId = header(request, "X-GitHub-Hook-ID", HOOK_ID, false);
        MediaType type = request.getContentType().orElse(MediaType.APPLICATION_JSON_TYPE);
        if (!type.getName().equals(MediaType.APPLICATION_JSON)) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The webhook's content type must be"
                    + " application/json (it is " + type.getName() + ")");
        }

        String correlationId = request.getAttribute(Correlation.ATTRIBUTE, String.class)
                .orElseGet(Correlation::currentOrNew);
        var answer = service.handle(new GithubWebhookService.Delivery(deliveryId, event, hookId, raw,
                Correlation.traceparent(request), correlationId));
        return HttpResponse.<WebhookAck>status(answer.status()).body(answer.ack());
    }

    @Nullable
    private static String header(HttpRequest<?> request, String name, Pattern valid, boolean required) {
        String value = request.getHeaders().get(name);
        if (value == null) {
            if (required) {
                throw ProblemException.badField(name, "is required");
            }
            return null;
        }
        if (!valid.matcher(value).matches()) {
            throw ProblemException.badField(name, "must match " + valid.pattern());
        }
        return value;
    }
}
