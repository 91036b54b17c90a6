package org.agentplatform.agent.worker;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.Redis;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** The openai runner through the worker: streamed answer posted, cost stored, cost cap enforced. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiFlowTest implements TestPropertyProvider {
    private WireMockServer fake;   // plays both github-service and the OpenAI endpoint

    @Inject RunRepository runs;
    @Inject TaskQueue queue;

    @Override
    public Map<String, String> getProperties() {
        fake = new WireMockServer(0);
        fake.start();
        Map<String, String> p = TestInfra.properties();
        p.put("micronaut.http.services.github-service.url", fake.baseUrl());
        p.put("agent.runner", "openai");
        p.put("agent.workers", "1");
        p.put("agent.openai.base-url", fake.baseUrl() + "/v1");
        p.put("agent.openai.api-key", "sk-test");
        p.put("agent.openai.default-model", "gpt-test");
        p.put("agent.openai.input-price-per1k", "0.5");
        p.put("agent.openai.output-price-per1k", "1.5");
        return p;
    }

    @AfterAll
    void stop() {
        fake.stop();
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
        queue.ensureGroups();
        fake.resetAll();
        fake.stubFor(post(urlMatching("/api/v1/github/pr/.*/comment")).willReturn(okJson(
                "{\"success\":true,\"comment_id\":9,\"message\":\"Comment posted\"}")));
    }

    @Test
    void theStreamedAnswerIsPostedAndItsCostRecorded() {
        fake.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(org.agentplatform.agent.runner.OpenAiRunnerTest.sse("Looks good", " to me."))));
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "@agent review"), 0);

        Await.until("answered", Duration.ofSeconds(20), () -> runs.findById(id).map(RunEntity::answerPosted).orElse(false));
        RunEntity run = runs.findById(id).orElseThrow();
        assertThat(run.runner()).isEqualTo("openai");
        assertThat(run.result()).isEqualTo("Looks good to me.");
        assertThat(run.costUsd()).isEqualByComparingTo("3.5");
        fake.verify(1, postRequestedFor(urlEqualTo("/api/v1/github/pr/octo/hello/7/comment"))
                .withRequestBody(matchingJsonPath("$.comment", containing("Looks good to me."))));
    }

    @Test
    void aTaskThatReachesItsCostCapIsStoppedAndNotAnswered() {
        String[] chunks = new String[40];
        java.util.Arrays.fill(chunks, "y".repeat(399) + "\n");
        fake.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withBody(org.agentplatform.agent.runner.OpenAiRunnerTest.sse(chunks))));
        String id = Messages.newId();
        Redis.enqueue(Messages.githubPr(id, "@agent write a lot").replace("\"timeout_seconds\"", "\"max_cost_usd\":0.5,\"timeout_seconds\""), 0);

        Await.until("failed", Duration.ofSeconds(20), () -> runs.findById(id).map(r -> "failed".equals(r.status())).orElse(false));
        RunEntity run = runs.findById(id).orElseThrow();
        assertThat(run.error()).startsWith("cost cap of $0.5 reached ($");
        assertThat(run.costUsd()).isGreaterThanOrEqualTo(new java.math.BigDecimal("0.5"));
        assertThat(run.attempts()).isEqualTo(1);
        // no answer (only the progress comment, which has its own key)
        fake.verify(0, postRequestedFor(urlMatching("/api/v1/github/.*"))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo("task-" + id + "-answer")));
    }
}
