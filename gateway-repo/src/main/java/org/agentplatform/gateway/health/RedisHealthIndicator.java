package org.agentplatform.gateway.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.queue.Outbox;
import org.agentplatform.gateway.queue.RedisConnections;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code redis} in {@code /health}: PING, plus the outbox backlog (tasks accepted but not yet on
 * the queue). A readiness indicator: while Redis is down the gateway still accepts webhooks into
 * the outbox, so {@code /health/liveness} stays UP and nothing should restart it for that.
 */
@Singleton
@Readiness
public class RedisHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final RedisConnections redis;
    private final Outbox outbox;

    public RedisHealthIndicator(RedisConnections redis, Outbox outbox) {
        this.redis = redis;
        this.outbox = outbox;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", redis.describe());
        try {
            details.put("outbox_pending", outbox.pending());
        } catch (RuntimeException e) {
            details.put("outbox_pending", "unknown (database unavailable)");
        }
        try {
            details.put("ping", redis.sync().ping());
            healthStatus = HealthStatus.UP;
        } catch (RuntimeException e) {
            details.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "redis";
    }
}
