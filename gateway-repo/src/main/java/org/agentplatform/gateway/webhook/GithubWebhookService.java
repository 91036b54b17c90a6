package org.agentplatform.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.github.EyesReaction;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.model.WebhookAck;
import org.agentplatform.gateway.store.DeliveryRepository;
import org.agentplatform.gateway.store.DeliveryRow;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.store.TaskStore;
import org.agentplatform.gateway.task.AfterAnswer;
import org.agentplatform.gateway.task.TaskFactory;
import org.agentplatform.gateway.task.Traceparent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A signature-checked GitHub delivery, from its raw bytes to the answer: deduplicate on the
 * delivery id, parse, decide, store (delivery + task in one transaction), hand the task to the
 * after-answer work.
 */
@Singleton
public class GithubWebhookService {

    public static final String VENDOR = "github";
    private static final Logger LOG = LoggerFactory.getLogger(GithubWebhookService.class);

    private final DeliveryRepository deliveries;
    private final TaskStore store;
    private final GithubEventInterpreter interpreter;
    private final TaskFactory factory;
    private final AfterAnswer afterAnswer;
    private final JsonMapper json;
    private final MeterRegistry meters;

    public GithubWebhookService(DeliveryRepository deliveries, TaskStore store, GithubEventInterpreter interpreter,
                                TaskFactory factory, AfterAnswer afterAnswer, JsonMapper json, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.store = store;
        this.interpreter = interpreter;
        this.factory = factory;
        this.afterAnswer = afterAnswer;
        this.json = json;
        this.meters = meters;
    }

    /** One delivery: who sent it (headers) and what (the raw, already verified body). */
    public record Delivery(String deliveryId, String event, @Nullable String hookId, byte[] body,
                           @Nullable String traceparent, String correlationId) {
    }

    /** The HTTP status and body to answer. */
    public record Answer(HttpStatus status, WebhookAck ack) {
    }

    public Answer handle(Delivery delivery) {
        Optional<DeliveryRow> seen = deliveries.findByVendorAndDeliveryId(VENDOR, delivery.deliveryId());
        if (seen.isPresent()) {
            return redelivery(seen.get());
        }
        JsonNode payload = parse(delivery.body());
        GithubDecision decision = interpreter.decide(delivery.event(), payload);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try {
            Answer answer;
            if (decision instanceof GithubDecision.CreateTask create) {
                answer = createTask(delivery, now, create);
            } else if (decision instanceof GithubDecision.Pong pong) {
                answer = record(delivery, now, WebhookAck.OutcomeEnum.PONG, pong.reason(), HttpStatus.OK);
            } else {
                answer = record(delivery, now, WebhookAck.OutcomeEnum.IGNORED,
                        ((GithubDecision.Ignore) decision).reason(), HttpStatus.ACCEPTED);
            }
            meters.counter("gateway.webhook.deliveries", "vendor", VENDOR, "event", delivery.event(),
                    "outcome", answer.ack().getOutcome().getValue()).increment();
            return answer;
        } catch (RuntimeException e) {
            if (TaskStore.isUniqueViolation(e)) {
                // the same delivery arrived twice at the same moment: the other one won
                return deliveries.findByVendorAndDeliveryId(VENDOR, delivery.deliveryId())
                        .map(this::redelivery).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Answer createTask(Delivery delivery, Instant now, GithubDecision.CreateTask create) {
        TaskQueueMessage message = factory.fromGithubComment(create.comment(), delivery.correlationId(),
                Traceparent.orNew(delivery.traceparent()), now.atOffset(ZoneOffset.UTC));
        WebhookAck ack = new WebhookAck(delivery.deliveryId(), WebhookAck.OutcomeEnum.TASK_CREATED, false,
                create.reason());
        ack.setTaskId(message.getTaskId());
        ack.setCorrelationId(message.getCorrelationId());
        TaskRow task = TaskRow.accepted(message, null, EyesReaction.idempotencyKey(delivery.deliveryId()), now);
        store.insertTaskAndDelivery(task, row(delivery, now, ack));
        LOG.info("GitHub delivery {} ({}): task {} created for {} comment {} on {}", delivery.deliveryId(),
                delivery.event(), message.getTaskId(), create.comment().login(), create.comment().commentId(),
                create.comment().sessionId());
        afterAnswer.taskCommitted(task.taskId(), task.correlationId(), true);
        return new Answer(HttpStatus.ACCEPTED, ack);
    }

    private Answer record(Delivery delivery, Instant now, WebhookAck.OutcomeEnum outcome, String reason,
                          HttpStatus status) {
        WebhookAck ack = new WebhookAck(delivery.deliveryId(), outcome, false, reason);
        store.insertDelivery(row(delivery, now, ack));
        LOG.info("GitHub delivery {} ({}): {} - {}", delivery.deliveryId(), delivery.event(), outcome.getValue(),
                reason);
        return new Answer(status, ack);
    }

    private Answer redelivery(DeliveryRow first) {
        WebhookAck ack = first.ack();
        ack.setDuplicate(true);
        LOG.info("GitHub delivery {} seen before (first answered {} at {}): repeating that answer, nothing new"
                + " is created", first.deliveryId(), first.outcome(), first.receivedAt());
        meters.counter("gateway.webhook.deliveries", "vendor", VENDOR, "event",
                first.event() == null ? "unknown" : first.event(), "outcome", "duplicate").increment();
        return new Answer(ack.getOutcome() == WebhookAck.OutcomeEnum.PONG ? HttpStatus.OK : HttpStatus.ACCEPTED, ack);
    }

    private static DeliveryRow row(Delivery delivery, Instant now, WebhookAck ack) {
        return new DeliveryRow(null, VENDOR, delivery.deliveryId(), delivery.event(), delivery.hookId(),
                ack.getOutcome().getValue(), ack.getReason(), ack.getTaskId(), delivery.correlationId(), ack, now);
    }

    private JsonNode parse(byte[] body) {
        JsonNode node;
        try {
            node = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "The body must be a JSON object (GitHub's payload)");
        }
        return node;
    }
}
