package org.agentplatform.agent.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import org.agentplatform.agent.queue.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics: {@code agent_task_duration_seconds{runner,outcome}} (one per attempt),
 * {@code agent_task_outcomes_total{outcome}}, and the gauges {@code agent_queue_depth},
 * {@code agent_queue_in_flight}, {@code agent_dead_letters} (read from Redis at most every 5 s).
 */
@Singleton
public class AgentMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMetrics.class);
    private static final long CACHE_NANOS = Duration.ofSeconds(5).toNanos();

    private final MeterRegistry registry;
    private final TaskQueue queue;
    private final AtomicReference<Cached> cached = new AtomicReference<>(new Cached(0, null));

    public AgentMetrics(MeterRegistry registry, TaskQueue queue) {
        this.registry = registry;
        this.queue = queue;
        Gauge.builder("agent.queue.depth", this, m -> m.stats(s -> s.depth()))
                .description("Entries waiting in all priority streams").register(registry);
        Gauge.builder("agent.queue.in_flight", this, m -> m.stats(s -> s.inFlight()))
                .description("Entries taken by a worker and not yet acknowledged").register(registry);
        Gauge.builder("agent.dead_letters", this, m -> m.stats(s -> s.deadLetters()))
                .description("Entries in agent:tasks:dead").register(registry);
    }

    /** One attempt ended: outcome is succeeded, failed, retrying, cancelled, timeout, cost_cap, dead_lettered, handed_back. */
    public void attempt(String runner, String outcome, Duration took) {
        Timer.builder("agent.task.duration").description("Run time of one attempt")
                .tag("runner", runner).tag("outcome", outcome)
                .publishPercentileHistogram(false)
                .register(registry).record(took);
        outcome(outcome);
    }

    /** What one attempt cost (USD, as the runner reported it; 0 for runners that do not charge). */
    public void cost(String runner, java.math.BigDecimal usd) {
        DistributionSummary.builder("agent.task.cost").baseUnit("usd").description("Cost of one attempt")
                .tag("runner", runner).register(registry).record(usd == null ? 0 : usd.doubleValue());
    }

    public void outcome(String outcome) {
        Counter.builder("agent.task.outcomes").description("Attempt and task outcomes")
                .tag("outcome", outcome).register(registry).increment();
    }

    private double stats(java.util.function.ToLongFunction<TaskQueue.QueueStats> f) {
        Cached c = cached.get();
        if (c.stats == null || System.nanoTime() - c.at > CACHE_NANOS) {
            try {
                c = new Cached(System.nanoTime(), queue.stats(Duration.ofMinutes(1)));
                cached.set(c);
            } catch (RuntimeException e) {
                LOG.debug("queue stats unavailable: {}", e.toString());
                return Double.NaN;
            }
        }
        return f.applyAsLong(c.stats);
    }

    private record Cached(long at, TaskQueue.QueueStats stats) {}
}
