package org.agentplatform.agent.runner;

import jakarta.inject.Singleton;
import org.agentplatform.agent.config.AgentConfig;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The default runner: calls nothing, costs nothing, and answers deterministically by quoting the
 * request. {@code AGENT_DRY_RUN_DELAY_MS} simulates work (and can be cancelled or time out).
 */
@Singleton
public class DryRunRunner implements AgentRunner {
    public static final String NAME = "dry-run";
    private final AgentConfig config;

    public DryRunRunner(AgentConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunnerResult run(RunRequest request, RunControl control, ProgressSink progress) throws RunnerException {
        progress.line(ProgressSink.SYSTEM, "dry run: no model is called (model " + request.model() + ")");
        if (config.getDryRunDelayMs() > 0) {
            try {
                if (control.await(Duration.ofMillis(config.getDryRunDelayMs()))) {
                    throw new RunnerException("stopped: " + control.reason(), false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunnerException("interrupted", true);
            }
        }
        String answer = answer(request.input());
        progress.line(ProgressSink.STDOUT, answer.lines().findFirst().orElse(""));
        return new RunnerResult(answer, BigDecimal.ZERO);
    }

    /** "Dry run: I would work on:" and the request as a Markdown quote. */
    public static String answer(String input) {
        StringBuilder sb = new StringBuilder("Dry run: I would work on:\n\n");
        input.strip().lines().forEach(l -> sb.append("> ").append(l).append('\n'));
        return sb.toString().stripTrailing();
    }
}
