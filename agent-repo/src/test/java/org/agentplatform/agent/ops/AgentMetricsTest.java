package org.agentplatform.agent.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AgentMetricsTest {

    @Test
    void eachAttemptsCostAndOutcomeAreRecordedByRunner() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AgentMetrics metrics = new AgentMetrics(registry, null); // the queue gauges are not read here
        metrics.cost("openai", new BigDecimal("0.0125"));
        metrics.cost("openai", new BigDecimal("0.0075"));
        metrics.cost("command", null);
        metrics.attempt("openai", "retrying", Duration.ofMillis(30));

        DistributionSummary openai = registry.get("agent.task.cost").tag("runner", "openai").summary();
        assertThat(openai.count()).isEqualTo(2);
        assertThat(openai.totalAmount()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(registry.get("agent.task.cost").tag("runner", "command").summary().totalAmount()).isZero();
        assertThat(registry.get("agent.task.outcomes").tag("outcome", "retrying").counter().count()).isEqualTo(1);
    }
}
