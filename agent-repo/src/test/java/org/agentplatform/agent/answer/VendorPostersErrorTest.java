package org.agentplatform.agent.answer;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the Slack, Jira and Sentry posters map what their vendor service answers: like GitHub's,
 * outages and token problems are retryable, a wrong request is not; a message without the place
 * to answer fails before any call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VendorPostersErrorTest {
    private WireMockServer services;
    private ApplicationContext ctx;

    @BeforeAll
    void start() {
        services = new WireMockServer(0);
        services.start();
        Map<String, Object> p = new HashMap<>(TestInfra.properties());
        p.put("agent.consumer-enabled", "false");
        for (String s : List.of("slack-service", "jira-service", "sentry-service")) {
            p.put("micronaut.http.services." + s + ".url", services.baseUrl());
        }
        ctx = ApplicationContext.run(p);
    }

    @AfterAll
    void stop() {
        ctx.close();
        services.stop();
    }

    @BeforeEach
    void reset() {
        services.resetAll();
    }

    @Test
    void unavailableOrUnauthorizedIsRetryableNotFoundAndUnprocessableAreNot() throws Exception {
        assertThat(failureOn(503, "slack")).isTrue();
        assertThat(failureOn(429, "jira")).isTrue();
        assertThat(failureOn(401, "sentry")).isTrue();
        assertThat(failureOn(404, "slack")).isFalse();
        assertThat(failureOn(422, "jira")).isFalse();
        assertThat(failureOn(400, "sentry")).isFalse();
    }

    @Test
    void aCallStillInProgressWithTheSameKeyIsRetryable_anyOtherConflictIsNot() throws Exception {
        // the vendor services answer 409 + Retry-After while an earlier try with the same Idempotency-Key runs
        services.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(409).withHeader("Retry-After", "1")
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Conflict\",\"status\":409,\"detail\":\"Idempotency-Key 'task-t-1-answer' is still in progress\"}")));
        assertThatThrownBy(() -> poster("jira").post(request("jira")))
                .isInstanceOfSatisfying(AnswerPostException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("still in progress");
        assertThat(failureOn(409, "jira")).as("409 without Retry-After").isFalse();
    }

    @Test
    void aProblemDetailIsKeptInTheErrorMessage() throws Exception {
        services.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Unprocessable Entity\",\"status\":422,\"detail\":\"channel_not_found\"}")));
        assertThatThrownBy(() -> poster("slack").post(request("slack")))
                .isInstanceOfSatisfying(AnswerPostException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("slack-service answered 422").hasMessageContaining("channel_not_found");
    }

    @Test
    void aSuccessFalseAnswerIsARetryableFailure() {
        services.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"success\":false,\"dry_run\":false,\"message\":\"Not added\",\"error\":\"rate limited\"}")));
        assertThatThrownBy(() -> poster("sentry").post(request("sentry")))
                .isInstanceOfSatisfying(AnswerPostException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("rate limited");
                });
    }

    @Test
    void aServiceThatCannotBeReachedIsRetryable() throws Exception {
        Map<String, Object> p = new HashMap<>(TestInfra.properties());
        p.put("agent.consumer-enabled", "false");
        p.put("micronaut.http.services.jira-service.url", "http://127.0.0.1:1"); // nothing listens there
        AnswerRequest request = request("jira");
        try (ApplicationContext down = ApplicationContext.run(p)) {
            assertThatThrownBy(() -> down.getBean(JiraAnswerPoster.class).post(request))
                    .isInstanceOfSatisfying(AnswerPostException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).startsWith("jira-service unreachable");
                    });
        }
    }

    @Test
    void aTaskWithoutItsVendorSourceFailsBeforeAnyCall() throws Exception {
        TaskQueueMessage api = parse(Messages.api("t-x", "no source", 0));
        for (String vendor : List.of("slack", "jira", "sentry")) {
            assertThatThrownBy(() -> poster(vendor).post(new AnswerRequest("t-x", api, "text", "task-t-x-answer", null)))
                    .isInstanceOfSatisfying(AnswerPostException.class, e -> assertThat(e.retryable()).isFalse());
        }
        assertThat(services.getAllServeEvents()).isEmpty();
    }

    @Test
    void aSlackThreadReplyLongerThanSlacksLimitIsCutAndCarriesNoMarker() {
        assertThat(poster("slack").maxBodyChars()).isEqualTo(40_000);
        assertThat(poster("jira").maxBodyChars()).isEqualTo(32_767);
        assertThat(poster("sentry").maxBodyChars()).isEqualTo(16_000);
        String body = Answers.body("slack", "t-1", "y".repeat(50_000), poster("slack").maxBodyChars());
        assertThat(body).hasSize(40_000).endsWith("(cut: the full answer is in the agent API)").doesNotContain("<!--");
    }

    private boolean failureOn(int status, String vendor) throws Exception {
        services.resetAll();
        services.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"x\",\"status\":" + status + "}")));
        try {
            poster(vendor).post(request(vendor));
        } catch (AnswerPostException e) {
            return e.retryable();
        }
        throw new AssertionError("no failure on " + status);
    }

    private AnswerPoster poster(String vendor) {
        return ctx.getBean(AnswerPosters.class).forVendor(vendor).orElseThrow();
    }

    private AnswerRequest request(String vendor) throws Exception {
        String json = switch (vendor) {
            case "slack" -> Messages.slackThread("t-1", "hi");
            case "jira" -> Messages.jiraIssue("t-1", "hi");
            default -> Messages.sentryIssue("t-1", "hi");
        };
        return new AnswerRequest("t-1", parse(json), Answers.body("github", "t-1", "the answer", Answers.MAX_BODY_CHARS), Answers.idempotencyKey("t-1"), "corr-t-1");
    }

    private TaskQueueMessage parse(String json) throws Exception {
        return ctx.getBean(JsonMapper.class).readValue(json, Argument.of(TaskQueueMessage.class));
    }
}
