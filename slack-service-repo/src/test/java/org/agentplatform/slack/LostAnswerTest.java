package org.agentplatform.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.agentplatform.slack.support.Json;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.agentplatform.slack.ValidationAndProblemsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 (chaos): Slack answering 500, 429 with Retry-After, or taking a message but answering after
 * the request timeout. However it goes, Slack ends up with the message once: a lost answer is
 * recovered by looking for the message's metadata, within one request and across the agent's
 * retries with the same Idempotency-Key. WireMock "Slack" creates a message when it takes a post
 * (before the delayed answer) and lists them ({@code SlackMessageStore}).
 */
@MicronautTest(transactional = false)
class LostAnswerTest extends SlackServiceTestBase {

    private static final String THREAD = "1700000000.000100";
    private static final String REPLY = "{\"channel\":\"C0123456789\",\"text\":\"the answer\",\"thread_ts\":\"" + THREAD + "\"}";
    private static final String MESSAGES = "/api/v1/slack/messages";
    /** Past slack.request-timeout (1 s): Slack has the message, we never get its answer. */
    private static final int TOO_LATE_MS = 2500;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("slack.request-timeout", "1s", "slack.max-attempts", "4");
    }

    @Test
    void aPostSlackTookButAnsweredTooLateIsFoundInTheThreadAndNotSentAgain() {
        slackListsItsMessages();
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))
                .withFixedDelay(TOO_LATE_MS)));
        long before = Instant.now().getEpochSecond();

        HttpResponse<String> response = call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-late-answer");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<ObjectNode> messages = slackMessages.messages();
        assertThat(messages).hasSize(1);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("ts").asText()).isEqualTo(messages.get(0).get("ts").asText());
        assertThat(body.get("channel").asText()).isEqualTo("C0123456789");
        assertThat(body.get("success").asBoolean()).isTrue();
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withRequestBody(matchingJsonPath("$.metadata.event_type", equalTo("agent_platform_message")))
                .withRequestBody(matchingJsonPath("$.metadata.event_payload.idempotency_key", equalTo("task-late-answer"))));
        // the lookup, exactly as the lead's fake vendor (and Slack) expect it
        List<LoggedRequest> lookups = slack.findAll(getRequestedFor(urlPathEqualTo("/api/conversations.replies"))
                .withHeader("Authorization", equalTo("Bearer " + BOT_TOKEN))
                .withQueryParam("channel", equalTo("C0123456789"))
                .withQueryParam("ts", equalTo(THREAD))
                .withQueryParam("include_all_metadata", equalTo("true"))
                .withQueryParam("limit", equalTo("200")));
        assertThat(lookups).hasSize(1);
        long oldest = Long.parseLong(lookups.get(0).queryParameter("oldest").firstValue());
        assertThat(oldest).isBetween(before - 61, before - 59);

        OutboundCallRow row = lastCall();
        assertThat(row.state()).isEqualTo(OutboundCallRow.SUCCEEDED);
        assertThat(row.vendorId()).isEqualTo(messages.get(0).get("ts").asText());
        assertThat(row.unansweredSince()).isNotNull();
    }

    @Test
    void aChannelMessageWithoutAKeyIsFoundInTheHistoryByItsOwnMark() {
        slackListsItsMessages();
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))
                .withFixedDelay(TOO_LATE_MS)));

        HttpResponse<String> response = call("POST", MESSAGES, "{\"channel\":\"C0123456789\",\"text\":\"On it\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(slackMessages.messages()).hasSize(1);
        assertThat(Json.parse(response.body()).get("ts").asText()).isEqualTo(slackMessages.messages().get(0).get("ts").asText());
        slack.verify(1, getRequestedFor(urlPathEqualTo("/api/conversations.history"))
                .withQueryParam("channel", equalTo("C0123456789")).withQueryParam("include_all_metadata", equalTo("true")));
        slack.verify(0, getRequestedFor(urlPathEqualTo("/api/conversations.replies")));
    }

    @Test
    void a500ThenOkPostsOnceWithoutLookingUp() {
        slackListsItsMessages();
        slack.stubFor(post("/api/chat.postMessage").inScenario("500").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("oops")).willSetStateTo("up"));
        slack.stubFor(post("/api/chat.postMessage").inScenario("500").whenScenarioStateIs("up")
                .willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));

        HttpResponse<String> response = call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-500-answer");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(slackMessages.messages()).hasSize(1);
        slack.verify(2, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        slack.verify(0, getRequestedFor(urlPathMatching("/api/conversations.*")));
    }

    @Test
    void a429WithRetryAfterIsWaitedOutThenPostedOnce() {
        slack.stubFor(post("/api/chat.postMessage").inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody(resource("slack/error.ratelimited.json"))).willSetStateTo("free"));
        slack.stubFor(post("/api/chat.postMessage").inScenario("429").whenScenarioStateIs("free")
                .willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));

        HttpResponse<String> response = call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-429-answer");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(slackMessages.messages()).hasSize(1);
        List<LoggedRequest> posts = slack.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(posts).hasSize(2);
        posts.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        assertThat(posts.get(1).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime())
                .as("waited Retry-After: 1 s").isGreaterThanOrEqualTo(950);
    }

    @Test
    void whenTheLookupFailsTooTheBudgetEndsIn502AndTheAgentsRetryFindsTheMessage() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))
                .withFixedDelay(TOO_LATE_MS)));
        slack.stubFor(WireMock.get(urlPathMatching("/api/conversations.*")).willReturn(aResponse().withStatus(503)));

        JsonNode problem = assertProblem(call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-lost-answer"), 502);

        assertThat(problem.get("detail").asText())
                .contains("chat.postMessage").contains("4 attempt(s)").contains("HTTP 503")
                .contains("may have posted it").contains("same Idempotency-Key");
        // one post that Slack took, then only lookups (which failed): nothing sent twice
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        slack.verify(3, getRequestedFor(urlPathEqualTo("/api/conversations.replies")));
        assertThat(slackMessages.messages()).hasSize(1);
        OutboundCallRow failed = lastCall();
        assertThat(failed.state()).isEqualTo(OutboundCallRow.FAILED);
        assertThat(failed.unansweredSince()).isNotNull();
        assertThat(failed.responseStatus()).isEqualTo(502);

        // Slack recovers; the agent retries the same call with the same key
        slack.resetRequests();
        slack.resetMappings();
        slackListsItsMessages();
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        HttpResponse<String> retried = call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-lost-answer");

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(Json.parse(retried.body()).get("ts").asText()).isEqualTo(slackMessages.messages().get(0).get("ts").asText());
        slack.verify(0, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        slack.verify(1, getRequestedFor(urlPathEqualTo("/api/conversations.replies")));
        assertThat(slackMessages.messages()).hasSize(1);
        assertThat(lastCall().attempts()).as("nothing sent").isZero();
    }

    @Test
    void anAgentRetryLooksFirstAndSendsWhenTheLostAttemptCreatedNothing() {
        slackListsItsMessages();
        // every try is cut off after it was sent, and Slack created nothing
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertProblem(call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-reset-answer"), 502);
        slack.verify(4, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        slack.verify(3, getRequestedFor(urlPathEqualTo("/api/conversations.replies")));
        assertThat(slackMessages.messages()).isEmpty();

        slack.resetRequests();
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));
        HttpResponse<String> retried = call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-reset-answer");

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        slack.verify(1, getRequestedFor(urlPathEqualTo("/api/conversations.replies")));
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage")));
        assertThat(slackMessages.messages()).hasSize(1);
    }

    @Test
    void aLookupWithoutTheHistoryScopeIsLoggedAndTheMessageSentAgain() {
        slack.stubFor(WireMock.get(urlPathMatching("/api/conversations.*")).willReturn(okJson(resource("slack/error.missing_scope.json"))));
        slack.stubFor(post("/api/chat.postMessage").inScenario("scope").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(resource("slack/chat.postMessage.ok.json")).withFixedDelay(TOO_LATE_MS)).willSetStateTo("fast"));
        slack.stubFor(post("/api/chat.postMessage").inScenario("scope").whenScenarioStateIs("fast")
                .willReturn(okJson(resource("slack/chat.postMessage.ok.json"))));

        HttpResponse<String> response = call("POST", MESSAGES, REPLY, "Idempotency-Key", "task-no-scope");

        // documented: without channels:history & co. the service cannot look, and delivers at least once
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        slack.verify(1, getRequestedFor(urlPathEqualTo("/api/conversations.replies")));
        assertThat(slackMessages.messages()).hasSize(2);
    }

    @Test
    void aResponseUrlReplyWithALostAnswerIsNeverSentAgain() {
        slack.stubFor(post("/commands/T1/2/secret").willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(TOO_LATE_MS)));
        String body = "{\"response_url\":\"http://127.0.0.1:" + slack.port() + "/commands/T1/2/secret\",\"text\":\"the answer\"}";

        JsonNode problem = assertProblem(call("POST", "/api/v1/slack/response-url", body, "Idempotency-Key", "task-cmd-answer"), 502);
        assertThat(problem.get("detail").asText()).contains("response_url").contains("may have been delivered")
                .contains("not sent again");
        slack.verify(1, postRequestedFor(urlEqualTo("/commands/T1/2/secret")));

        // the agent's retry with the same key: still nothing sent, the same clear answer
        JsonNode again = assertProblem(call("POST", "/api/v1/slack/response-url", body, "Idempotency-Key", "task-cmd-answer"), 502);
        assertThat(again.get("detail").asText()).contains("earlier request with this Idempotency-Key").contains("not sent again");
        slack.verify(1, postRequestedFor(urlEqualTo("/commands/T1/2/secret")));
    }

}
