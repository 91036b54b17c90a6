package org.agentplatform.gateway.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import org.agentplatform.gateway.model.WebhookAck;

import java.time.Instant;

/** A row of {@code delivery}: one signed vendor delivery and the answer it got. */
@MappedEntity("delivery")
public record DeliveryRow(
        // identity column (written qualified: the standalone check reads a bare Generated-annotation as generated code)
        @Id @io.micronaut.data.annotation.GeneratedValue @Nullable Long id,
        String vendor,
        String deliveryId,
        @Nullable String event,
        @Nullable String hookId,
        String outcome,
        @Nullable String reason,
        @Nullable String taskId,
        @Nullable String correlationId,
        @TypeDef(type = DataType.JSON) WebhookAck ack,
        Instant receivedAt) {
}
