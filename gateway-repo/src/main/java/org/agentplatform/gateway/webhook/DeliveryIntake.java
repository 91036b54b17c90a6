package org.agentplatform.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.github.EyesReaction;
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

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * "Accept a delivery → task", the same for every vendor once its signature is verified:
 * let the vendor's interpreter decide, store the delivery (deduplicated on the vendor's delivery id
 * by the insert itself: {@code ON CONFLICT DO NOTHING}) and the task in one transaction, answer,
 * and hand the task to the after-answer work (enqueue, reaction, enrichment). A redelivery gets
 * the first answer again with {@code duplicate: true} and creates nothing.
 */
@Singleton
public class DeliveryIntake {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryIntake.class);

    private final DeliveryRepository deliveries;
    private final TaskStore store;
    private final TaskFactory factory;
    private final AfterAnswer afterAnswer;
    private final MeterRegistry meters;

    public DeliveryIntake(DeliveryRepository deliveries, TaskStore store, TaskFactory factory,
                          AfterAnswer afterAnswer, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.store = store;
        this.factory = factory;
        this.afterAnswer = afterAnswer;
        this.meters = meters;
    }

    /** One verified delivery: vendor, the vendor's delivery id, event name and request context. */
    public record Delivery(String vendor, String deliveryId, String event, @Nullable String hookId,
                           @Nullable String traceparent, String correlationId) {
    }

    /**
     * The answer: {@code status} is what GitHub, Jira and Sentry get (202, 200 for pong);
     * {@code message} is the created task's message, if one was created by this delivery.
     */
    public record Answer(HttpStatus status, WebhookAck ack, @Nullable TaskQueueMessage message) {
    }

    public Answer handle(Delivery delivery, Supplier<VendorDecision> decide) {
        // no duplicate check up front: the insert itself is the check (ON CONFLICT DO NOTHING), so a
        // new delivery costs one transaction; a redelivery is decided again and then answered below
        VendorDecision decision = decide.get();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try {
            Answer answer;
            if (decision instanceof VendorDecision.CreateTask create) {
                answer = createTask(delivery, now, create);
            } else if (decision instanceof VendorDecision.Pong pong) {
                answer = record(delivery, now, WebhookAck.OutcomeEnum.PONG, pong.reason(), null, HttpStatus.OK);
            } else {
                answer = record(delivery, now, WebhookAck.OutcomeEnum.IGNORED,
                        ((VendorDecision.Ignore) decision).reason(), null, HttpStatus.ACCEPTED);
            }
            count(delivery.vendor(), delivery.event(), answer.ack().getOutcome().getValue());
            return answer;
        } catch (TaskStore.AlreadyDelivered e) {
            return seenBefore(delivery, e);
        } catch (RuntimeException e) {
            if (TaskStore.isUniqueViolation(e)) {
                // the same delivery arrived twice at the same moment: the other one won
                return deliveries.findByVendorAndDeliveryId(delivery.vendor(), delivery.deliveryId())
                        .map(this::redelivery).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Answer createTask(Delivery delivery, Instant now, VendorDecision.CreateTask create) {
        TaskSpec spec = create.spec();
        TaskQueueMessage message = factory.fromSpec(spec, delivery.correlationId(),
                Traceparent.orNew(delivery.traceparent()), now.atOffset(ZoneOffset.UTC));
        String reactionKey = switch (spec.reaction()) {
            case NONE -> null;
            case PER_DELIVERY -> EyesReaction.idempotencyKey(delivery.deliveryId());
            case PER_TASK -> EyesReaction.taskIdempotencyKey(message.getTaskId());
        };
        WebhookAck ack = new WebhookAck(delivery.deliveryId(), WebhookAck.OutcomeEnum.TASK_CREATED, false,
                create.reason());
        ack.setTaskId(message.getTaskId());
        ack.setCorrelationId(message.getCorrelationId());
        TaskRow task = TaskRow.accepted(message, null, reactionKey, spec.enrich(), now);
        DeliveryRow row = row(delivery, now, ack);
        if (spec.dedupeKey() != null && spec.dedupeWindow() != null) {
            try {
                store.insertTaskAndDelivery(task, row, spec.dedupeKey(), now.plus(spec.dedupeWindow()));
            } catch (TaskStore.DedupeKeyTaken taken) {
                String reason = "a task for " + spec.dedupeKey() + " was created less than " + spec.dedupeWindow()
                        .toString().substring(2).toLowerCase() + " ago (task " + taken.holder() + "); no second one";
                return record(delivery, now, WebhookAck.OutcomeEnum.DUPLICATE, reason, taken.holder(),
                        HttpStatus.ACCEPTED);
            }
        } else {
            store.insertTaskAndDelivery(task, row);
        }
        LOG.info("{} delivery {} ({}): task {} created for {} in {} - {} (trace {})", delivery.vendor(),
                delivery.deliveryId(), delivery.event(), message.getTaskId(), message.getUserId(), message.getSessionId(),
                create.reason(), Traceparent.traceId(message.getTraceparent()));
        afterAnswer.taskCommitted(task, reactionKey != null, spec.enrich());
        return new Answer(HttpStatus.ACCEPTED, ack, message);
    }

    private Answer record(Delivery delivery, Instant now, WebhookAck.OutcomeEnum outcome, String reason,
                          @Nullable String taskId, HttpStatus status) {
        WebhookAck ack = new WebhookAck(delivery.deliveryId(), outcome, false, reason);
        ack.setTaskId(taskId);
        if (!store.insertDelivery(row(delivery, now, ack))) {
            throw new TaskStore.AlreadyDelivered();
        }
        LOG.info("{} delivery {} ({}): {} - {}", delivery.vendor(), delivery.deliveryId(), delivery.event(),
                outcome.getValue(), reason);
        return new Answer(status, ack, null);
    }

    private Answer seenBefore(Delivery delivery, RuntimeException e) {
        return deliveries.findByVendorAndDeliveryId(delivery.vendor(), delivery.deliveryId())
                .map(this::redelivery).orElseThrow(() -> e);
    }

    private Answer redelivery(DeliveryRow first) {
        WebhookAck ack = first.ack();
        ack.setDuplicate(true);
        LOG.info("{} delivery {} seen before (first answered {} at {}): repeating that answer, nothing new"
                + " is created", first.vendor(), first.deliveryId(), first.outcome(), first.receivedAt());
        count(first.vendor(), first.event(), "duplicate");
        return new Answer(ack.getOutcome() == WebhookAck.OutcomeEnum.PONG ? HttpStatus.OK : HttpStatus.ACCEPTED,
                ack, null);
    }

    private void count(String vendor, @Nullable String event, String outcome) {
        meters.counter("gateway.webhook.deliveries", "vendor", vendor, "event", event == null ? "unknown" : event,
                "outcome", outcome).increment();
    }

    private static DeliveryRow row(Delivery delivery, Instant now, WebhookAck ack) {
        return new DeliveryRow(null, delivery.vendor(), delivery.deliveryId(), delivery.event(), delivery.hookId(),
                ack.getOutcome().getValue(), ack.getReason(), ack.getTaskId(), delivery.correlationId(), ack, now);
    }
}
