package org.agentplatform.agent.runner;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.serde.ObjectMapper;
import org.agentplatform.agent.config.OpenAiConfig;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class OpenAiRunnerTest {
    private final WireMockServer server = new WireMockServer(0);
    private OpenAiConfig config;

    /** An SSE stream as OpenAI sends it: role chunk, content chunks, finish, usage chunk, [DONE]. */
    public static String sse(String... contents) {
        StringBuilder sb = new StringBuilder();
        sb.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
        sb.append(": keep-alive comment\n\n");
        for (String c : contents) {
            sb.append("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":")
                    .append(org.agentplatform.agent.support.Messages.quote(c)).append("}}]}\n\n");
        }
        sb.append("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        sb.append("data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":2000,\"total_tokens\":3000}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    @BeforeAll
    void start() {
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        config = new OpenAiConfig();
        config.setBaseUrl(server.baseUrl() + "/v1");
        config.setApiKey("sk-test");
        config.setDefaultModel("gpt-test");
        config.setInputPricePer1k(new BigDecimal("0.5"));
        config.setOutputPricePer1k(new BigDecimal("1.5"));
        config.setSystemPrompt("Be brief.");
    }

    private OpenAiRunner runner() {
        return new OpenAiRunner(config, ObjectMapper.getDefault());
    }

    private static RunRequest request(String model, String input) {
        return new RunRequest("t-1", input, model, "corr-1", Duration.ofSeconds(10), BigDecimal.TEN, 1, new TaskQueueMessage());
    }

    @Test
    void theStreamIsParsedIntoProgressLinesAndTheUsageIsPriced() throws Exception {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(sse("Hello", " world\nSecond", " line"))));
        RecordingSink sink = new RecordingSink();

        RunnerResult r = runner().run(request("default", "say hello"), new RunControl(), sink);

        assertThat(r.text()).isEqualTo("Hello world\nSecond line");
        assertThat(sink.texts("stdout")).containsExactly("Hello world", "Second line");
        // 1000 prompt tokens × $0.5/1k + 2000 completion tokens × $1.5/1k
        assertThat(r.costUsd()).isEqualByComparingTo("3.5");
        assertThat(sink.costs).isNotEmpty();
        assertThat(sink.texts("system")).anyMatch(l -> l.contains("1000 prompt + 2000 completion tokens"));
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-test"))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("""
                        {"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},
                         "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"say hello"}]}""")));
    }

    @Test
    void theTasksModelIsUsedWhenItNamesOne() throws Exception {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200).withBody(sse("ok"))));
        runner().run(request("gpt-4o", "x"), new RunControl(), new RecordingSink());
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(equalToJson("{\"model\":\"gpt-4o\"}", true, true)));
    }

    @Test
    void reachingTheCostCapStopsTheStream() {
        String chunk = "x".repeat(399) + "\n";   // ~100 tokens: $0.15 each at $1.5/1k
        String[] chunks = new String[50];
        java.util.Arrays.fill(chunks, chunk);
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200).withBody(sse(chunks))));
        BigDecimal cap = new BigDecimal("0.5");
        RunControl control = new RunControl();
        RecordingSink sink = new RecordingSink(cost -> {
            if (cost.compareTo(cap) >= 0) {
                control.stop(RunControl.StopReason.COST_CAP);
            }
        });

        assertThatThrownBy(() -> runner().run(request("default", "write a novel"), control, sink))
                .isInstanceOfSatisfying(RunnerException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("stopped: COST_CAP");
                    assertThat(e.costUsd()).isGreaterThanOrEqualTo(cap);
                });
        assertThat(sink.texts("stdout").size()).as("stopped early").isLessThan(10);
    }

    @Test
    void serverErrorsAreRetryableAndClientErrorsAreNot() {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(503).withBody("busy")));
        assertThatThrownBy(() -> runner().run(request("default", "x"), new RunControl(), new RecordingSink()))
                .isInstanceOfSatisfying(RunnerException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("openai answered 503: busy");
                });
        server.resetAll();
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key\"}}")));
        assertThatThrownBy(() -> runner().run(request("default", "x"), new RunControl(), new RecordingSink()))
                .isInstanceOfSatisfying(RunnerException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void anErrorChunkFailsTheAttempt() {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withBody("data: {\"error\":{\"message\":\"model overloaded\"}}\n\n")));
        assertThatThrownBy(() -> runner().run(request("default", "x"), new RunControl(), new RecordingSink()))
                .hasMessage("openai error: model overloaded");
    }
}
