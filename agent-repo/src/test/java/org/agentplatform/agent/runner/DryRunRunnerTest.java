package org.agentplatform.agent.runner;

import org.agentplatform.agent.config.AgentConfig;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunRunnerTest {

    @Test
    void theAnswerQuotesTheRequestDeterministicallyAndCostsNothing() throws Exception {
        RunRequest req = new RunRequest("t", "  please fix\nthe README  ", "m", null, Duration.ofSeconds(5), BigDecimal.ONE, 1,
                new TaskQueueMessage());
        RunnerResult a = new DryRunRunner(new AgentConfig()).run(req, new RunControl(), new RecordingSink());
        RunnerResult b = new DryRunRunner(new AgentConfig()).run(req, new RunControl(), new RecordingSink());
        assertThat(a.text()).isEqualTo("Dry run: I would work on:\n\n> please fix\n> the README");
        assertThat(b).isEqualTo(a);
        assertThat(a.costUsd()).isEqualByComparingTo("0");
    }

    @Test
    void theSimulatedDelayCanBeStopped() throws Exception {
        AgentConfig c = new AgentConfig();
        c.setDryRunDelayMs(60_000);
        RunControl control = new RunControl();
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new DryRunRunner(c).run(new RunRequest("t", "x", "m", null, Duration.ofSeconds(5), BigDecimal.ONE, 1,
                        new TaskQueueMessage()), control, new RecordingSink());
            } catch (RunnerException e) {
                return e;
            }
        });
        Thread.sleep(100);
        control.stop(RunControl.StopReason.CANCELLED);
        assertThat(run.get(5, TimeUnit.SECONDS)).isInstanceOf(RunnerException.class);
    }
}
