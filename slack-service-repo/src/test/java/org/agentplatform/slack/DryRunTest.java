package org.agentplatform.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.agentplatform.slack.support.Json;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** No SLACK_BOT_TOKEN: every operation is recorded and answered synthetically, nothing is sent. */
@MicronautTest(transactional = false)
class DryRunTest extends SlackServiceTestBase {

    @Override
    protected boolean withBotToken() {
        return false;
    }

    @Test
    void everyOperationAnswersDryRunAndSendsNothing() {
        HttpResponse<String> posted = call("POST", "/api/v1/slack/messages",
                "{\"channel\":\"C0123456789\",\"text\":\"On it :eyes:\",\"thread_ts\":\"1700000000.000100\"}",
                "X-Correlation-Id", "dry-1");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        JsonNode post = Json.parse(posted.body());
        assertThat(post.get("success").asBoolean()).isTrue();
        assertThat(post.get("dry_run").asBoolean()).isTrue();
        assertThat(post.get("channel").asText()).isEqualTo("C0123456789");
        assertThat(post.get("message").asText()).contains("Dry run").contains("SLACK_BOT_TOKEN");
        String ts = post.get("ts").asText();
        assertThat(ts).matches("^[0-9]{1,16}\\.[0-9]{1,8}$");

        // the synthetic ts can be edited like a real one
        HttpResponse<String> updated = call("PUT", "/api/v1/slack/messages",
                "{\"channel\":\"C0123456789\",\"ts\":\"" + ts + "\",\"text\":\"Done\"}", "X-Correlation-Id", "dry-1");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode update = Json.parse(updated.body());
        assertThat(update.get("dry_run").asBoolean()).isTrue();
        assertThat(update.get("ts").asText()).isEqualTo(ts);

        HttpResponse<String> reacted = call("POST", "/api/v1/slack/reactions",
                "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}", "X-Correlation-Id", "dry-1");
        assertThat(reacted.statusCode()).isEqualTo(200);
        assertThat(Json.parse(reacted.body()).get("dry_run").asBoolean()).isTrue();

        HttpResponse<String> replied = call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"http://127.0.0.1:" + slack.port() + "/commands/T0001/1234/abcd\",\"text\":\"answer\"}",
                "X-Correlation-Id", "dry-1");
        assertThat(replied.statusCode()).isEqualTo(200);
        assertThat(Json.parse(replied.body()).get("dry_run").asBoolean()).isTrue();

        assertThat(slack.getAllServeEvents()).as("nothing reached Slack").isEmpty();

        List<OutboundCallRow> rows = StreamSupport.stream(callRepository.findAll().spliterator(), false)
                .filter(r -> "dry-1".equals(r.correlationId())).toList();
        assertThat(rows).hasSize(4).allSatisfy(row -> {
            assertThat(row.dryRun()).isTrue();
            assertThat(row.state()).isEqualTo(OutboundCallRow.SUCCEEDED);
            assertThat(row.statusCode()).isNull();
            assertThat(row.attempts()).isZero();
            assertThat(row.requestBody()).isNotBlank();
        });
        assertThat(rows).extracting(OutboundCallRow::operation)
                .containsExactlyInAnyOrder("postSlackMessage", "updateSlackMessage", "addSlackReaction", "replyToResponseUrl");
        assertThat(rows.stream().filter(r -> r.operation().equals("postSlackMessage")).findFirst().orElseThrow().vendorId())
                .isEqualTo(ts);

        HttpResponse<String> listed = call("GET", "/api/v1/slack/calls?dry_run=true&correlation_id=dry-1", null);
        assertThat(Json.parse(listed.body()).get("total").asLong()).isEqualTo(4);
        HttpResponse<String> real = call("GET", "/api/v1/slack/calls?dry_run=false&correlation_id=dry-1", null);
        assertThat(Json.parse(real.body()).get("total").asLong()).isZero();
    }

    @Test
    void dryRunStillConvertsAndRecordsTheBodyThatWouldBeSent() {
        call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"**bold** [x](https://e.com)\"}",
                "X-Correlation-Id", "dry-2");
        OutboundCallRow row = StreamSupport.stream(callRepository.findAll().spliterator(), false)
                .filter(r -> "dry-2".equals(r.correlationId())).findFirst().orElseThrow();
        assertThat(row.requestBody()).contains("*bold* <https://e.com|x>");
        assertThat(row.url()).endsWith("/api/chat.postMessage");
    }

    @Test
    void dryRunAnswersAreReplayedForTheSameIdempotencyKey() {
        String body = "{\"channel\":\"C0123456789\",\"text\":\"answer\"}";
        JsonNode first = Json.parse(call("POST", "/api/v1/slack/messages", body, "Idempotency-Key", "task-dry-answer").body());
        HttpResponse<String> again = call("POST", "/api/v1/slack/messages", body, "Idempotency-Key", "task-dry-answer");
        assertThat(Json.parse(again.body()).get("ts").asText()).isEqualTo(first.get("ts").asText());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    }
}
