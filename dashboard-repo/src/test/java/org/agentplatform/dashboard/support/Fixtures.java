package org.agentplatform.dashboard.support;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Upstream answers shaped like the contracts' examples, and TaskEvents as the agent publishes them. */
public final class Fixtures {
    public static final String TASK = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
    public static final String CORRELATION = "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a";

    private Fixtures() {
    }

    public static String run(String taskId, String status) {
        return """
                {"task_id":"%s","status":"%s","source":{"vendor":"github","github":{"owner":"octo","repo":"hello","number":7,"comment_id":1234567}},
                 "input_message":"@agent please review","user_id":"octocat","model":"default","agent_type":"coding","runner":"dry-run",
                 "priority":0,"attempts":1,"correlation_id":"%s","created_at":"2026-11-26T10:00:00Z","started_at":"2026-11-26T10:00:00.020Z",
                 "duration_ms":1250,"cost_usd":0.0123,
                 "history":[{"status":"queued","at":"2026-11-26T10:00:00.015Z"},{"status":"running","at":"2026-11-26T10:00:00.020Z","message":"attempt 1"}]}
                """.formatted(taskId, status, CORRELATION);
    }

    public static String runsPage(String... runs) {
        return "{\"items\":[" + String.join(",", runs) + "],\"page\":0,\"size\":50,\"total\":" + runs.length + "}";
    }

    public static String logPage(String taskId, int lines, boolean complete) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append(i == 0 ? "" : ",").append("{\"seq\":").append(i).append(",\"at\":\"2026-11-26T10:00:01Z\",\"stream\":\"stdout\",\"text\":\"line ")
                    .append(i).append("\"}");
        }
        return "{\"task_id\":\"" + taskId + "\",\"offset\":0,\"next_offset\":" + lines + ",\"complete\":" + complete + ",\"lines\":[" + b + "]}";
    }

    public static String callsPage(long id, String createdAt, boolean dryRun) {
        return """
                {"items":[{"id":%d,"operation":"postPrComment","method":"POST","url":"https://api.github.com/repos/octo/hello/issues/7/comments",
                  "request_body":"{\\"body\\":\\"Dry run: I would work on\\"}","dry_run":%s,"attempts":1,"correlation_id":"%s","created_at":"%s"}],
                 "page":0,"size":50,"total":1}
                """.formatted(id, dryRun, CORRELATION, createdAt);
    }

    public static String emptyPage() {
        return "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}";
    }

    public static String event(String taskId, String type, String message, Long logSeq) {
        return "{\"task_id\":\"" + taskId + "\",\"type\":\"" + type + "\",\"at\":\"2026-11-26T10:00:02Z\",\"message\":\"" + message
                + "\",\"source_vendor\":\"github\"" + (logSeq != null ? ",\"log_seq\":" + logSeq : "") + "}";
    }

    /** XADD as the agent does (field {@code event}); returns the entry id. */
    public static String publish(String eventJson) {
        return TestInfra.redis().xadd("agent:events", Map.of("event", eventJson));
    }

    /** Every service's /health answers UP. */
    public static void healthUp() {
        TestInfra.wiremock().stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"name\":\"svc\",\"status\":\"UP\"}")));
    }
}
