package org.agentplatform.agent.runner;

import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import org.agentplatform.agent.config.AgentConfig;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The runner named by {@code AGENT_RUNNER}; an unknown name stops the start-up. */
@Singleton
public class Runners {
    private final Map<String, AgentRunner> byName;
    private final AgentRunner selected;

    public Runners(List<AgentRunner> runners, AgentConfig config) {
        this.byName = runners.stream().collect(Collectors.toMap(AgentRunner::name, Function.identity()));
        String wanted = config.getRunner() == null || config.getRunner().isBlank() ? DryRunRunner.NAME : config.getRunner().trim();
        this.selected = byName.get(wanted);
        if (selected == null) {
            throw new ConfigurationException("AGENT_RUNNER=" + wanted + " is unknown; use one of " + byName.keySet());
        }
        if (CommandRunner.NAME.equals(wanted) && (config.getCommand() == null || config.getCommand().isBlank())) {
            throw new ConfigurationException("AGENT_RUNNER=command needs AGENT_COMMAND");
        }
    }

    public AgentRunner selected() {
        return selected;
    }

    public AgentRunner byName(String name) {
        return byName.get(name);
    }
}
