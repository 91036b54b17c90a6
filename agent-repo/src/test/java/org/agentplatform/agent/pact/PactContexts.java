package org.agentplatform.agent.pact;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.support.TestInfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** An agent context (no workers) whose client for {@code serviceId} calls the pact mock server. */
final class PactContexts {
    private PactContexts() {
    }

    static ApplicationContext agentCalling(String serviceId, String mockServerUrl) {
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("agent.consumer-enabled", "false");
        props.put("micronaut.http.services." + serviceId + ".url", mockServerUrl);
        return ApplicationContext.run(props);
    }

    static TaskQueueMessage message(ApplicationContext ctx, String json) {
        try {
            return ctx.getBean(JsonMapper.class).readValue(json, Argument.of(TaskQueueMessage.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
