package org.agentplatform.gateway.task;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.agentplatform.gateway.client.github.model.ReactionRequest;
import org.agentplatform.gateway.config.TaskSettings;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.model.WebhookAck;
import org.agentplatform.gateway.webhook.GithubComment;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON the gateway writes uses the contracts' names and enum values (snake_case, lower-case). */
class TaskMessageJsonTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static TaskQueueMessage githubTask() {
        TaskSettings settings = new TaskSettings();
        GithubComment comment = new GithubComment("octo", "hello", 7, 2_900_000_000L,
                GithubSource.CommentType.REVIEW_COMMENT, true, "octocat", "@agent please review", "https://x/y");
        return new TaskFactory(settings, JSON).fromGithubComment(comment, "corr-1",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                OffsetDateTime.of(2026, 11, 26, 10, 0, 0, 123_000_000, ZoneOffset.UTC));
    }

    @Test
    void taskQueueMessageIsWrittenAsTheSchemaSaysAndValidates() throws Exception {
        String json = JSON.writeValueAsString(githubTask());
        Map<String, Object> map = JSON.readValue(json, Argument.mapOf(String.class, Object.class));
        assertThat(map).containsEntry("session_id", "github:octo/hello#7").containsEntry("user_id", "octocat")
                .containsEntry("agent_type", "coding").containsEntry("model", "default").containsEntry("priority", 0)
                .containsEntry("created_at", "2026-11-26T10:00:00.123Z").containsEntry("correlation_id", "corr-1")
                .doesNotContainKey("assigned_agent");
        assertThat(map.get("source")).isEqualTo(Map.of("vendor", "github", "url", "https://x/y",
                "github", Map.of("owner", "octo", "repo", "hello", "number", 7, "comment_id", 2_900_000_000L,
                        "comment_type", "review_comment", "is_pull_request", true)));
        try (InputStream schema = getClass().getResourceAsStream("/schemas/TaskQueueMessage.schema.json")) {
            var validator = com.networknt.schema.JsonSchemaFactory
                    .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7).getSchema(schema);
            assertThat(validator.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json))).isEmpty();
        }
    }

    @Test
    void roundTripsThroughTheGeneratedClass() throws Exception {
        TaskQueueMessage original = githubTask();
        TaskQueueMessage back = JSON.readValue(JSON.writeValueAsString(original), TaskQueueMessage.class);
        assertThat(back).isEqualTo(original);
    }

    @Test
    void contractsExampleParses() throws Exception {
        try (InputStream in = getClass().getResourceAsStream(
                "/examples/schemas/TaskQueueMessage/valid/github-pr-comment.json")) {
            TaskQueueMessage m = JSON.readValue(in.readAllBytes(), TaskQueueMessage.class);
            assertThat(m.getSource().getGithub().getCommentType()).isEqualTo(GithubSource.CommentType.ISSUE_COMMENT);
            assertThat(m.getSource().getGithub().getCommentId()).isEqualTo(1234567L);
        }
    }

    @Test
    void apiAndClientModelsWriteEnumValuesNotJavaNames() throws Exception {
        assertThat(JSON.writeValueAsString(new WebhookAck("d", WebhookAck.OutcomeEnum.TASK_CREATED, false, "r")))
                .contains("\"outcome\":\"task_created\"");
        ReactionRequest reaction = new ReactionRequest(ReactionRequest.ContentEnum.EYES);
        reaction.setCommentType(ReactionRequest.CommentTypeEnum.REVIEW_COMMENT);
        assertThat(JSON.readValue(JSON.writeValueAsString(reaction), Map.class))
                .isEqualTo(Map.of("content", "eyes", "comment_type", "review_comment"));
    }
}
