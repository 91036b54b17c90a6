package org.agentplatform.dashboard.pact;

import au.com.dius.pact.consumer.MockServer;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.dashboard.support.TestInfra;

import java.util.HashMap;
import java.util.Map;

/** Shared pieces of the consumer pacts: matchers for what providers generate, a dashboard context on a mock server. */
final class PactSupport {
    static final String RFC3339 = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$";
    static final String RUN_STATUS = "queued|running|succeeded|failed|cancelled|dead_lettered";
    static final String VENDOR = "github|jira|slack|sentry|api";
    static final String ID = "^[A-Za-z0-9._:-]{1,64}$";

    private PactSupport() {
    }

    /** A dashboard application context whose generated client {@code clientId} talks to the mock server. */
    static ApplicationContext context(String clientId, MockServer mock) {
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("micronaut.http.services." + clientId + ".url", mock.getUrl());
        props.put("dashboard.events.enabled", "false");
        return ApplicationContext.run(props);
    }

    /** The Run fields the dashboard reads (the contract's required ones plus correlation id and history). */
    static PactDslJsonBody run(PactDslJsonBody body, String taskId, boolean exactId, String statusExample) {
        if (exactId) {
            body.stringValue("task_id", taskId);
        } else {
            body.stringMatcher("task_id", ID, taskId);
        }
        body.stringMatcher("status", RUN_STATUS, statusExample);
        body.object("source").stringMatcher("vendor", VENDOR, "github").closeObject();
        body.stringType("input_message", "@agent please review")
                .stringType("user_id", "octocat")
                .stringType("model", "default")
                .stringType("agent_type", "coding")
                .integerType("priority", 0)
                .integerType("attempts", 1)
                .stringMatcher("created_at", RFC3339, "2026-11-26T10:00:00Z");
        return body;
    }

    static PactDslJsonBody outboundCalls(String urlExample, String operationExample) {
        PactDslJsonBody body = new PactDslJsonBody();
        body.minArrayLike("items", 1)
                .integerType("id", 1L)
                .stringType("operation", operationExample)
                .stringType("method", "POST")
                .stringType("url", urlExample)
                .stringType("request_body", "{\"body\":\"Dry run: I would work on\"}")
                .booleanType("dry_run", true)
                .integerType("attempts", 1)
                .stringMatcher("created_at", RFC3339, "2026-11-26T10:00:00Z")
                .closeObject()
                .closeArray();
        body.integerType("page", 0)
                .integerType("size", 50)
                .integerType("total", 1L);
        return body;
    }
}
