package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code gateway.task.*}: defaults put on every task the gateway creates. */
@ConfigurationProperties("gateway.task")
public class TaskSettings {

    private String agentType = "coding";
    private String model = "default";

    /** AGENT_TYPE. */
    public String getAgentType() {
        return agentType;
    }

    public void setAgentType(String agentType) {
        this.agentType = agentType;
    }

    /** AGENT_MODEL. */
    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }
}
