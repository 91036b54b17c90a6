package org.agentplatform.gateway.pact.verify;

import au.com.dius.pact.provider.MessageAndMetadata;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The messages the gateway queues for Slack, Jira and Sentry (produced exactly as for the message
 * pacts) are valid TaskQueueMessages per the contract's JSON Schema, and name their vendor.
 */
@MicronautTest(transactional = false)
class VendorTaskMessagesSchemaTest extends GatewayTestSupport {

    @Test
    void everyVendorsTaskMessageValidatesAgainstTheContract() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/TaskQueueMessage.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        List<MessageAndMetadata> messages = List.of(TaskMessages.forSlackAppMention(this),
                TaskMessages.forSlackSlashCommand(this), TaskMessages.forJiraIssueLabelled(this),
                TaskMessages.forSentryIssue(this));
        List<String> vendors = List.of("slack", "slack", "jira", "sentry");
        for (int i = 0; i < messages.size(); i++) {
            var json = new ObjectMapper().readTree(messages.get(i).getMessageData());
            assertThat(schema.validate(json)).as("message %s", json).isEmpty();
            assertThat(json.at("/source/vendor").asText()).isEqualTo(vendors.get(i));
            assertThat(json.at("/source/" + vendors.get(i)).isObject()).isTrue();
        }
    }
}
