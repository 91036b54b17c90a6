package org.agentplatform.agent.ops;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.agentplatform.agent.queue.TaskQueue;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Map;

/** /health: Redis answers PING (the datasource indicator covers PostgreSQL). */
@Singleton
public class RedisHealthIndicator implements HealthIndicator {
    private final TaskQueue queue;

    public RedisHealthIndicator(TaskQueue queue) {
        this.queue = queue;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(() -> {
            try {
                String pong = queue.ping();
                return HealthResult.builder("redis", HealthStatus.UP).details(Map.of("ping", pong)).build();
            } catch (RuntimeException e) {
                return HealthResult.builder("redis", HealthStatus.DOWN).details(Map.of("error", e.getClass().getSimpleName())).build();
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
