package org.agentplatform.gateway.pact.verify;

import au.com.dius.pact.provider.MessageAndMetadata;
import org.agentplatform.gateway.support.GatewayTestSupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Produces the messages the gateway's message pacts describe, with the gateway's real code end to
 * end: GitHub's own issue_comment payload, signed, POSTed to the running gateway, and the entry it
 * XADDed read back from Redis. What the verifier compares is exactly what an agent would receive.
 */
public final class TaskMessages {

    private TaskMessages() {
    }

    /** "a task for a GitHub PR comment". */
    public static MessageAndMetadata forGithubPrComment(GatewayTestSupport gateway) {
        String json = gateway.taskMessageFor("issue_comment",
                org.agentplatform.gateway.support.GithubPayloads.prComment("@agent please review this change"),
                Duration.ofSeconds(15));
        return new MessageAndMetadata(json.getBytes(StandardCharsets.UTF_8),
                Map.of("contentType", "application/json", "stream", "agent:tasks:0", "field", "message"));
    }
}
