package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exporting switched on the way an operator does it (issue 8): the OpenTelemetry Java agent attached
 * and the standard {@code OTEL_*} variables pointing at an OTLP/HTTP collector (here a WireMock that
 * keeps what it is sent). One signed webhook must come out as one trace: exported by the gateway,
 * the agent and github-service, and carried on to GitHub itself in the {@code traceparent} of the
 * answer comment's request.
 */
@Tag("scenarios")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenTelemetryExportTest {

    private static final List<Platform.Service> TRACED = List.of(Platform.GITHUB, Platform.AGENT, Platform.GATEWAY);

    private WireMockServer collector;
    private Platform platform;

    @BeforeAll
    void start() throws Exception {
        Path javaagent = Path.of(System.getProperty("otel.javaagent", "target/otel/opentelemetry-javaagent.jar"));
        assertThat(javaagent).as("the OpenTelemetry Java agent (copied by the build)").exists();
        collector = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        collector.start();
        collector.stubFor(post(urlPathEqualTo("/v1/traces"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-protobuf")));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_TOOL_OPTIONS", "-javaagent:" + javaagent.toAbsolutePath());
        env.put("OTEL_TRACES_EXPORTER", "otlp");
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.port());
        env.put("OTEL_METRICS_EXPORTER", "none");
        env.put("OTEL_LOGS_EXPORTER", "none");
        env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        env.put("AGENT_RUNNER", "command");
        env.put("AGENT_COMMAND", "echo \"answer for $AGENT_TASK_ID\"");
        env.put("LOG_FORMAT", "json");
        platform = new Platform("opentelemetry-export", TRACED, env);
        new FakeGithub(platform.fakeVendor);
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (collector != null) {
            collector.stop();
        }
    }

    @Test
    void oneWebhookIsOneTraceExportedByGatewayAgentAndGithubServiceAndCarriedToGithub() throws Exception {
        var r = Webhooks.sendGithub(platform.service(Platform.GATEWAY).url(), "issue_comment",
                java.util.UUID.randomUUID().toString(), Webhooks.githubIssueComment("@agent trace me", 77_000_001L),
                platform.webhookSecret);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String taskId = Webhooks.JSON.readTree(r.body()).path("task_id").asText();
        Await.until("answer of " + taskId, Duration.ofSeconds(60),
                () -> VendorMessages.answersByTask(platform.fakeVendor).containsKey(taskId));
        Matcher created = Pattern.compile("task " + taskId + " created .*\\(trace ([0-9a-f]{32})\\)")
                .matcher(platform.service(Platform.GATEWAY).logText());
        assertThat(created.find()).as("the gateway's log line of task %s names its trace", taskId).isTrue();
        String traceId = created.group(1);

        // → vendor: github-service's request to GitHub continues the same trace
        LoggedRequest answer = platform.fakeVendor.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(q -> q.getMethod().getName().equals("POST") && q.getBodyAsString().contains("answer for " + taskId))
                .findFirst().orElseThrow();
        assertThat(answer.getHeader("traceparent")).as("traceparent of the answer comment's request to GitHub")
                .matches("00-" + traceId + "-[0-9a-f]{16}-0[01]");

        // exported: every traced service sent spans of that trace to the collector
        byte[] traceBytes = HexFormat.of().parseHex(traceId);
        Set<String> exporting = new TreeSet<>();
        try {
            awaitExports(traceBytes, exporting);
        } finally {
            // what the collector got, for a look with protoc --decode_raw
            List<ServeEvent> exports = collector.getAllServeEvents();
            for (int i = 0; i < exports.size(); i++) {
                Files.write(platform.logDir.resolve("otlp-" + i + ".bin"), exports.get(i).getRequest().getBody());
            }
        }
        assertThat(exporting).containsExactlyInAnyOrder("gateway", "agent", "github-service");
        Files.writeString(platform.logDir.resolve("trace.txt"), "task " + taskId + " trace " + traceId
                + " exported by " + exporting + "\n");
        ChaosReport.hostile("one trace exported by gateway, agent and github-service (OTLP)", TRACED.size() + 1, 0,
                "trace " + traceId + " of task " + taskId + ": spans from " + exporting
                        + " at the collector, and its traceparent on the request to GitHub");
    }

    /** Waits until each traced service exported spans of the trace; {@code exporting} names those that did. */
    private void awaitExports(byte[] traceBytes, Set<String> exporting) throws Exception {
        Await.until("spans of trace " + HexFormat.of().formatHex(traceBytes) + " from " + TRACED.size() + " services",
                Duration.ofSeconds(30), () -> {
                    for (ServeEvent e : collector.getAllServeEvents()) {
                        byte[] body = e.getRequest().getBody();
                        if (indexOf(body, traceBytes, 0) >= 0) {
                            TRACED.stream().map(Platform.Service::name).filter(name -> isResourceOf(body, name))
                                    .forEach(exporting::add);
                        }
                    }
                    return exporting.size() == TRACED.size();
                });
    }

    /**
     * Whether an OTLP export request's resource is {@code service.name = name}: in the protobuf the
     * attribute's key is followed within a few bytes (AnyValue framing) by the value's UTF-8.
     */
    private static boolean isResourceOf(byte[] body, String name) {
        byte[] key = "service.name".getBytes(StandardCharsets.UTF_8);
        byte[] value = name.getBytes(StandardCharsets.UTF_8);
        for (int at = indexOf(body, key, 0); at >= 0; at = indexOf(body, key, at + 1)) {
            int v = indexOf(body, value, at + key.length);
            if (v >= 0 && v - (at + key.length) <= 6) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
