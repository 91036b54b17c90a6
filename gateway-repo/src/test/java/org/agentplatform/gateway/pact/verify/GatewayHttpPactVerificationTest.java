package org.agentplatform.gateway.pact.verify;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Consumer;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP provider verification of the gateway's API for the dashboard (getTask, listDeliveries),
 * against the real gateway with its own database. Each state creates its data through the
 * gateway's own endpoints (a signed webhook, POST /api/v1/tasks); only the fixed task id the pact
 * names is set afterwards. The agent's message pacts are verified by
 * {@link GatewayMessagePactVerificationTest}: a class per consumer, since one verifies messages and
 * the other HTTP.
 */
@MicronautTest(transactional = false)
@Provider("gateway")
@Consumer("dashboard")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify(ignoreIoErrors = "true")
class GatewayHttpPactVerificationTest extends GatewayTestSupport {

    static final String DASHBOARD_TOKEN = "dashboard-token";
    static final String TASK_ID = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("gateway.auth.service-tokens", "tester:" + API_TOKEN + ",agent:agent-token,dashboard:" + DASHBOARD_TOKEN);
    }

    @BeforeEach
    void target(@Nullable PactVerificationContext context) {
        if (context != null) {
            context.setTarget(new HttpTestTarget("localhost", server.getPort()));
        }
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(@Nullable PactVerificationContext context, @Nullable ClassicHttpRequest request) {
        if (context != null) {
            if (request != null) {
                request.setHeader("Authorization", "Bearer " + DASHBOARD_TOKEN);
            }
            context.verifyInteraction();
        }
    }

    @State("a delivery has been received")
    public void aDeliveryHasBeenReceived() {
        Response r = deliver("issue_comment", newDeliveryId(), GithubPayloads.raw(GithubPayloads.ISSUE_COMMENT_CREATED));
        if (r.status() != 202) {
            throw new IllegalStateException("the delivery was not accepted: " + r.status() + " " + r.body());
        }
    }

    @State("task 7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11 exists")
    public void taskExists() {
        Response r = send("POST", "/api/v1/tasks",
                "{\"input_message\": \"@agent please review\", \"user_id\": \"octocat\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer " + API_TOKEN, "Content-Type", "application/json"));
        if (r.status() / 100 != 2) {
            throw new IllegalStateException("the task was not created: " + r.status() + " " + r.body());
        }
        String created = String.valueOf(r.json().get("task_id"));
        jdbc("UPDATE task SET task_id = '" + TASK_ID + "', message = jsonb_set(message, '{task_id}', '\"" + TASK_ID
                + "\"') WHERE task_id = '" + created + "'");
    }
}
