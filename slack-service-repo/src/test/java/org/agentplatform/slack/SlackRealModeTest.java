package org.agentplatform.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.agentplatform.slack.support.Json;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.agentplatform.slack.ValidationAndProblemsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real mode: a bot token, WireMock as the Slack Web API and as a response_url host. Checks the
 * exact requests Slack gets and how each of Slack's answers (fixtures from Slack's docs, see
 * src/test/resources/slack/SOURCES.md) is mapped.
 */
@MicronautTest(transactional = false)
class SlackRealModeTest extends SlackServiceTestBase {

    private static final String JSON_UTF8 = "application/json; charset=utf-8";

    // ---- chat.postMessage -----------------------------------------------------------------

    @Test
    void postsAThreadReplyExactlyAsSlackExpectsIt() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));

        HttpResponse<String> response = call("POST", "/api/v1/slack/messages",
                "{\"channel\":\"C0123456789\",\"text\":\"**Done**: see [the PR](https://github.com/o/r/pull/7) & <!channel>\","
                        + "\"thread_ts\":\"1700000000.000100\"}",
                "X-Correlation-Id", "corr-post-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("dry_run").asBoolean()).isFalse();
        assertThat(body.get("channel").asText()).isEqualTo("C1H9RESGL");
        assertThat(body.get("ts").asText()).isEqualTo("1503435956.000247");
        assertThat(body.get("message").asText()).isEqualTo("Reply posted in thread");
        assertThat(body.has("error")).isFalse();

        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", equalTo("Bearer " + BOT_TOKEN))
                .withHeader("Content-Type", equalToIgnoreCase(JSON_UTF8))
                .withRequestBody(equalToJson("{\"channel\":\"C0123456789\",\"thread_ts\":\"1700000000.000100\","
                        + "\"text\":\"*Done*: see <https://github.com/o/r/pull/7|the PR> &amp; &lt;!channel&gt;\","
                        + "\"metadata\":{\"event_type\":\"agent_platform_message\",\"event_payload\":{\"idempotency_key\":\"${json-unit.any-string}\"}}}",
                        false, false))
                // without a caller's Idempotency-Key the service marks the message with its own
                .withRequestBody(matchingJsonPath("$.metadata.event_payload.idempotency_key", matching("slack-service-[0-9a-f-]{36}"))));

        OutboundCallRow row = lastCall();
        assertThat(row.operation()).isEqualTo("postSlackMessage");
        assertThat(row.url()).endsWith("/api/chat.postMessage");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.vendorId()).isEqualTo("1503435956.000247");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.dryRun()).isFalse();
        assertThat(row.correlationId()).isEqualTo("corr-post-1");
        assertThat(row.requestBody()).contains("\"thread_ts\":\"1700000000.000100\"");
        assertThat(row.state()).isEqualTo(OutboundCallRow.SUCCEEDED);
        assertThat(row.durationMs()).isNotNull();
    }

    @Test
    void postsWithoutThreadTsWhenNoneIsGiven() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        HttpResponse<String> response = call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"On it :eyes:\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).get("message").asText()).isEqualTo("Message posted");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withRequestBody(equalToJson("{\"channel\":\"C0123456789\",\"text\":\"On it :eyes:\"}", false, true))
                .withRequestBody(notContaining("thread_ts")));
    }

    @Test
    void unknownChannelIs404WithSlacksErrorCode() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/error.channel_not_found.json"))));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0000000000\",\"text\":\"hi\"}"), 404);
        assertThat(problem.get("slack_error").asText()).isEqualTo("channel_not_found");
        assertThat(problem.get("detail").asText()).contains("channel_not_found");
        OutboundCallRow row = lastCall();
        assertThat(row.state()).isEqualTo(OutboundCallRow.FAILED);
        assertThat(row.error()).startsWith("channel_not_found");
        assertThat(row.statusCode()).isEqualTo(200);
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    @Test
    void refusedTokenIs502NamingTheSettingButNotTheSecret() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/error.invalid_auth.json"))));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 502);
        assertThat(problem.get("detail").asText()).contains("SLACK_BOT_TOKEN").doesNotContain(BOT_TOKEN);
        assertThat(problem.get("slack_error").asText()).isEqualTo("invalid_auth");
    }

    @Test
    void http401FromSlackIs502() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(401).withBody("Unauthorized")));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 502);
        assertThat(problem.get("detail").asText()).contains("SLACK_BOT_TOKEN").contains("401");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    @Test
    void missingScopeNamesTheScopeSlackWants() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/error.missing_scope.json"))));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 502);
        assertThat(problem.get("detail").asText()).contains("SLACK_BOT_TOKEN").contains("chat:write:bot");
        assertThat(problem.get("slack_error").asText()).isEqualTo("missing_scope");
    }

    @Test
    void invalidArgumentsAre400WithSlacksExplanation() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/error.invalid_arguments.json"))));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 400);
        assertThat(problem.get("detail").asText()).contains("invalid_arguments").contains("missing required field");
    }

    @Test
    void botOutsideTheChannelIs502WithAHint() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/error.not_in_channel.json"))));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 502);
        assertThat(problem.get("detail").asText()).contains("/invite");
    }

    // ---- retries --------------------------------------------------------------------------

    @Test
    void retriesA500ThenSucceeds() {
        slack.stubFor(post("/api/chat.postMessage").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("oops")).willSetStateTo("recovered"));
        slack.stubFor(post("/api/chat.postMessage").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));

        HttpResponse<String> response = call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(lastCall().attempts()).isEqualTo(2);
    }

    @Test
    void honoursRetryAfterOn429() {
        slack.stubFor(post("/api/reactions.add").inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json").withBody(resource("slack/error.ratelimited.json")))
                .willSetStateTo("free"));
        slack.stubFor(post("/api/reactions.add").inScenario("limited").whenScenarioStateIs("free")
                .willReturn(okJson(resource("slack/reactions.add.ok.json"))));

        HttpResponse<String> response = call("POST", "/api/v1/slack/reactions",
                "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<LoggedRequest> requests = slack.findAll(postRequestedFor(urlEqualTo("/api/reactions.add")));
        assertThat(requests).hasSize(2);
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat(gap).as("waited Retry-After: 1 s").isGreaterThanOrEqualTo(950);
        assertThat(lastCall().attempts()).isEqualTo(2);
    }

    @Test
    void retriesSlacksRatelimitedErrorInA200() {
        slack.stubFor(post("/api/chat.update").inScenario("limited200").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(resource("slack/error.ratelimited.json"))).willSetStateTo("free"));
        slack.stubFor(post("/api/chat.update").inScenario("limited200").whenScenarioStateIs("free")
                .willReturn(okJson(resource("slack/chat.update.ok.json"))));
        HttpResponse<String> response = call("PUT", "/api/v1/slack/messages",
                "{\"channel\":\"C123ABC456\",\"ts\":\"1401383885.000061\",\"text\":\"done\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.update")));
    }

    @Test
    void retriesConnectionResets() {
        slack.stubFor(post("/api/chat.postMessage").inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("fine"));
        slack.stubFor(post("/api/chat.postMessage").inScenario("reset").whenScenarioStateIs("fine")
                .willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        HttpResponse<String> response = call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(lastCall().attempts()).isEqualTo(2);
    }

    @Test
    void exhaustedRetriesAre502AfterMaxAttempts() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(503).withBody("down")));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 502);
        assertThat(problem.get("detail").asText()).contains("4 attempt");
        slack.verify(4, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        OutboundCallRow row = lastCall();
        assertThat(row.attempts()).isEqualTo(4);
        assertThat(row.statusCode()).isEqualTo(503);
        assertThat(row.state()).isEqualTo(OutboundCallRow.FAILED);
    }

    @Test
    void aRetryAfterBeyondTheLimitEndsTheRetries() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")
                .withBody(resource("slack/error.ratelimited.json"))));
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"hi\"}"), 502);
        assertThat(problem.get("slack_error").asText()).isEqualTo("ratelimited");
        assertThat(problem.get("detail").asText()).contains("rate-limiting").contains("120");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
    }

    // ---- chat.update ----------------------------------------------------------------------

    @Test
    void updatesAMessageInPlace() {
        slack.stubFor(post("/api/chat.update").willReturn(okJson(resource("slack/chat.update.ok.json"))));
        HttpResponse<String> response = call("PUT", "/api/v1/slack/messages",
                "{\"channel\":\"C123ABC456\",\"ts\":\"1401383885.000061\",\"text\":\"## Done\\nAll *green*.\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("ts").asText()).isEqualTo("1401383885.000061");
        assertThat(body.get("channel").asText()).isEqualTo("C123ABC456");
        assertThat(body.get("message").asText()).isEqualTo("Message updated");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.update"))
                .withHeader("Authorization", equalTo("Bearer " + BOT_TOKEN))
                .withHeader("Content-Type", equalToIgnoreCase(JSON_UTF8))
                .withRequestBody(equalToJson("{\"channel\":\"C123ABC456\",\"ts\":\"1401383885.000061\","
                        + "\"text\":\"*Done*\\n\\nAll _green_.\"}", false, false)));
    }

    @Test
    void updatingAnUnknownMessageIs404() {
        slack.stubFor(post("/api/chat.update").willReturn(okJson(resource("slack/error.message_not_found.json"))));
        JsonNode problem = assertProblem(call("PUT", "/api/v1/slack/messages",
                "{\"channel\":\"C0123456789\",\"ts\":\"1700000001.000200\",\"text\":\"done\"}"), 404);
        assertThat(problem.get("slack_error").asText()).isEqualTo("message_not_found");
    }

    // ---- reactions.add --------------------------------------------------------------------

    @Test
    void addsAReaction() {
        slack.stubFor(post("/api/reactions.add").willReturn(okJson(resource("slack/reactions.add.ok.json"))));
        HttpResponse<String> response = call("POST", "/api/v1/slack/reactions",
                "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("message").asText()).isEqualTo("Reaction added");
        slack.verify(1, postRequestedFor(urlEqualTo("/api/reactions.add"))
                .withHeader("Authorization", equalTo("Bearer " + BOT_TOKEN))
                .withRequestBody(equalToJson("{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}")));
    }

    @Test
    void alreadyReactedCountsAsSuccess() {
        slack.stubFor(post("/api/reactions.add").willReturn(okJson(resource("slack/reactions.add.already_reacted.json"))));
        HttpResponse<String> response = call("POST", "/api/v1/slack/reactions",
                "{\"channel\":\"C0123456789\",\"timestamp\":\"1700000000.000100\",\"name\":\"eyes\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("error").asText()).isEqualTo("already_reacted");
        assertThat(lastCall().state()).isEqualTo(OutboundCallRow.SUCCEEDED);
    }

    // ---- response_url ---------------------------------------------------------------------

    @Test
    void answersThroughTheResponseUrlWithoutTheBotToken() {
        slack.stubFor(post("/commands/T0001/1234/abcd").willReturn(aResponse().withStatus(200).withBody("ok")));
        String responseUrl = "http://127.0.0.1:" + slack.port() + "/commands/T0001/1234/abcd";
        HttpResponse<String> response = call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"" + responseUrl + "\",\"text\":\"**Answer**: 42\",\"response_type\":\"ephemeral\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("message").asText()).isEqualTo("Reply sent");
        slack.verify(1, postRequestedFor(urlEqualTo("/commands/T0001/1234/abcd"))
                .withHeader("Authorization", absent())
                .withHeader("Content-Type", equalToIgnoreCase(JSON_UTF8))
                .withRequestBody(equalToJson("{\"text\":\"*Answer*: 42\",\"response_type\":\"ephemeral\",\"replace_original\":false}")));
        OutboundCallRow row = lastCall();
        assertThat(row.url()).endsWith("/commands/T0001/1234/***").doesNotContain("abcd");
        assertThat(row.operation()).isEqualTo("replyToResponseUrl");
    }

    @Test
    void responseUrlDefaultsToInChannelAndAcceptsAJsonOk() {
        slack.stubFor(post(urlPathMatching("/commands/.*")).willReturn(okJson("{\"ok\":true}")));
        String responseUrl = "http://127.0.0.1:" + slack.port() + "/commands/T0001/1234/efgh";
        HttpResponse<String> response = call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"" + responseUrl + "\",\"text\":\"answer\",\"replace_original\":true}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        slack.verify(1, postRequestedFor(urlEqualTo("/commands/T0001/1234/efgh"))
                .withRequestBody(equalToJson("{\"text\":\"answer\",\"response_type\":\"in_channel\",\"replace_original\":true}")));
    }

    @Test
    void anExpiredResponseUrlIs410() {
        slack.stubFor(post(urlPathMatching("/commands/.*")).willReturn(aResponse().withStatus(404).withBody("expired_url")));
        String responseUrl = "http://127.0.0.1:" + slack.port() + "/commands/T0001/1234/old";
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"" + responseUrl + "\",\"text\":\"late\"}"), 410);
        assertThat(problem.get("slack_error").asText()).isEqualTo("expired_url");
        slack.verify(1, postRequestedFor(urlPathMatching("/commands/.*")));
    }

    @Test
    void aUsedUpResponseUrlAnsweredAsJsonIs410() {
        slack.stubFor(post(urlPathMatching("/commands/.*")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":false,\"error\":\"used_url\"}")));
        String responseUrl = "http://127.0.0.1:" + slack.port() + "/commands/T0001/1234/used";
        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"" + responseUrl + "\",\"text\":\"sixth\"}"), 410);
        assertThat(problem.get("slack_error").asText()).isEqualTo("used_url");
    }

    @Test
    void responseUrlRetriesServerErrors() {
        slack.stubFor(post(urlPathMatching("/commands/.*")).inScenario("hook").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
        slack.stubFor(post(urlPathMatching("/commands/.*")).inScenario("hook").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        String responseUrl = "http://127.0.0.1:" + slack.port() + "/commands/T0001/1234/retry";
        HttpResponse<String> response = call("POST", "/api/v1/slack/response-url",
                "{\"response_url\":\"" + responseUrl + "\",\"text\":\"answer\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        slack.verify(2, postRequestedFor(urlPathMatching("/commands/.*")));
    }

    @Test
    void callsAreListedNewestFirstWithTheirOutcome() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"first\"}", "X-Correlation-Id", "list-me");
        call("POST", "/api/v1/slack/messages", "{\"channel\":\"C0123456789\",\"text\":\"second\"}", "X-Correlation-Id", "list-me");
        HttpResponse<String> response = call("GET", "/api/v1/slack/calls?correlation_id=list-me&dry_run=false", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = Json.parse(response.body());
        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("request_body").asText()).contains("second");
        assertThat(newest.get("operation").asText()).isEqualTo("postSlackMessage");
        assertThat(newest.get("method").asText()).isEqualTo("POST");
        assertThat(newest.get("status_code").asInt()).isEqualTo(200);
        assertThat(newest.get("vendor_id").asText()).isEqualTo("1503435956.000247");
        assertThat(newest.get("dry_run").asBoolean()).isFalse();
        assertThat(newest.get("attempts").asInt()).isEqualTo(1);
        assertThat(newest.get("correlation_id").asText()).isEqualTo("list-me");
        assertThat(newest.get("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
        assertThat(newest.get("duration_ms").isNumber()).isTrue();
        assertThat(page.get("items").get(1).get("request_body").asText()).contains("first");
    }
}
