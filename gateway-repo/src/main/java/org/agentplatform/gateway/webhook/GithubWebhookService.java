package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.model.WebhookAck;

/**
 * A signature-checked GitHub delivery: parse, decide ({@link GithubEventInterpreter}) and hand the
 * decision to the vendor-neutral {@link DeliveryIntake} (dedupe, store, answer, after-answer work).
 */
@Singleton
public class GithubWebhookService {

    public static final String VENDOR = "github";

    private final DeliveryIntake intake;
    private final GithubEventInterpreter interpreter;
    private final JsonMapper json;

    public GithubWebhookService(DeliveryIntake intake, GithubEventInterpreter interpreter, JsonMapper json) {
        this.intake = intake;
        this.interpreter = interpreter;
        this.json = json;
    }

    /** One delivery: who sent it (headers) and what (the raw, already verified body). */
    public record Delivery(String deliveryId, String event, @Nullable String hookId, byte[] body,
                           @Nullable String traceparent, String correlationId) {
    }

    /** The HTTP status and body to answer. */
    public record Answer(HttpStatus status, WebhookAck ack) {
    }

    public Answer handle(Delivery delivery) {
        var answer = intake.handle(new DeliveryIntake.Delivery(VENDOR, delivery.deliveryId(), delivery.event(),
                delivery.hookId(), delivery.traceparent(), delivery.correlationId()), () -> decide(delivery));
        return new Answer(answer.status(), answer.ack());
    }

    private VendorDecision decide(Delivery delivery) {
        JsonNode payload = JsonBodies.object(json, delivery.body(), "GitHub's payload");
        GithubDecision decision = interpreter.decide(delivery.event(), payload);
        if (decision instanceof GithubDecision.Pong pong) {
            return new VendorDecision.Pong(pong.reason());
        }
        if (decision instanceof GithubDecision.Ignore ignore) {
            return new VendorDecision.Ignore(ignore.reason());
        }
        GithubDecision.CreateTask create = (GithubDecision.CreateTask) decision;
        GithubComment comment = create.comment();
        GithubSource github = new GithubSource()
                .withOwner(comment.owner())
                .withRepo(comment.repo())
                .withNumber(comment.number())
                .withCommentId(comment.commentId())
                .withCommentType(comment.commentType())
                .withIsPullRequest(comment.pullRequest());
        TaskSource source = new TaskSource().withVendor(TaskSource.Vendor.GITHUB).withUrl(comment.htmlUrl())
                .withGithub(github);
        return new VendorDecision.CreateTask(TaskSpec.simple(comment.sessionId(), comment.login(), comment.body(),
                null, source, TaskSpec.Reaction.PER_DELIVERY), create.reason());
    }
}
