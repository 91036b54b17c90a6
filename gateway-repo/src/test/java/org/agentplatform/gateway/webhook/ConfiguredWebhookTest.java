package org.agentplatform.gateway.webhook;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.agentplatform.gateway.support.GithubPayloads.ISSUE_COMMENT_CREATED;
import static org.assertj.core.api.Assertions.assertThat;

/** The trigger, who may trigger, the bot's login and the task defaults come from the environment. */
@MicronautTest(transactional = false)
class ConfiguredWebhookTest extends GatewayTestSupport {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of(
                "gateway.github.trigger", "/ai",                         // AGENT_TRIGGER
                "gateway.github.allowed-users", "alice, CODERTOCAT ,",   // ALLOWED_USERS
                "gateway.github.bot-login", "agent-bot",                 // AGENT_BOT_LOGIN
                "gateway.task.agent-type", "triage",                     // AGENT_TYPE
                "gateway.task.model", "big-model");                      // AGENT_MODEL
    }

    @Test
    void allowedUserWithTheConfiguredTriggerCreatesATaskWithTheConfiguredDefaults() {
        Response r = deliver("issue_comment", newDeliveryId(), GithubPayloads.prComment("/ai summarise the thread"));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "task_created").containsEntry("reason", "/ai mentioned by Codertocat");
        await("enqueued", Duration.ofSeconds(10), () -> streamLength("agent:tasks:0") == 1);
        TaskQueueMessage m = parseMessage(entries("agent:tasks:0").get(0).getBody().get("message"));
        assertThat(m.getAgentType()).isEqualTo("triage");
        assertThat(m.getModel()).isEqualTo("big-model");
    }

    @Test
    void theDefaultTriggerNoLongerCounts() {
        Response r = deliver("issue_comment", newDeliveryId(), GithubPayloads.prComment("@agent summarise"));
        assertThat(r.json()).containsEntry("outcome", "ignored").containsEntry("reason", "the comment does not mention /ai");
        assertThat(taskCount()).isZero();
    }

    @Test
    void userNotInAllowedUsersIsIgnored() {
        byte[] body = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("/ai do it")
                .andThen(GithubPayloads.commentAuthor("mallory", "User")));
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "ignored").containsEntry("reason", "mallory is not in ALLOWED_USERS");
        assertThat(taskCount()).isZero();
        assertThat(streamLength("agent:tasks:0")).isZero();
    }

    @Test
    void theAgentsBotLoginNeverTriggersEvenAsAUserAccount() {
        byte[] body = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("/ai answer: done")
                .andThen(GithubPayloads.commentAuthor("Agent-Bot", "User")));
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.json()).containsEntry("outcome", "ignored")
                .containsEntry("reason", "comment by the agent's own account (Agent-Bot)");
        assertThat(taskCount()).isZero();
    }
}
