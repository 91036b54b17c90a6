package org.agentplatform.jira.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.Map;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the consumers' pacts (agent, gateway) against the real service in real mode, with the
 * fake Jira (WireMock) set up by each provider state. Pacts come from {@code -Dpactfolder.path}
 * ({@code ./meta.sh test} passes {@code .meta/pacts}); without pacts the class passes empty.
 *
 * <p>Provider states:
 * <ul>
 *   <li>{@code issue PROJ-123 exists}: Jira has PROJ-123 ("Checkout fails for EU users", To Do,
 *       label agent, reporter Ada Lovelace); a new comment gets id 10042; its workflow offers the
 *       transitions To Do (11), In Progress (21) and Done (31).</li>
 *   <li>{@code comment 10042 exists on PROJ-123}: the above, and comment 10042 can be edited.</li>
 *   <li>{@code an outbound call has been recorded}: the call log holds one call (a comment on PROJ-123).</li>
 * </ul>
 */
@MicronautTest(transactional = false)
@Provider("jira-service")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify
public class JiraServicePactVerificationTest extends ServiceTestBase {

    @Override
    protected Map<String, String> serviceProperties() {
        return Map.of("jira.email", "agent-bot@example.com", "jira.api-token", "pact-token");
    }

    @BeforeEach
    void target(PactVerificationContext context) {
        if (context != null) {
            context.setTarget(new HttpTestTarget("localhost", server.getPort()));
        }
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context, ClassicHttpRequest request) {
        if (context != null) {
            request.setHeader("Authorization", "Bearer " + TOKEN);
            context.verifyInteraction();
        }
    }

    @State("issue PROJ-123 exists")
    public void issueExists() {
        jira.resetAll();
        jira.stubFor(WireMock.get(urlPathEqualTo("/rest/api/3/issue/PROJ-123")).willReturn(json(200,
                resource("jira/get-issue-PROJ-123.200.json"))));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/PROJ-123/comment")).willReturn(json(201,
                resource("jira/add-comment.201.json").replace("\"id\": \"10000\"", "\"id\": \"10042\""))));
        jira.stubFor(WireMock.get(urlPathEqualTo("/rest/api/3/issue/PROJ-123/transitions")).willReturn(json(200,
                resource("jira/transitions-simplified-workflow.200.json"))));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/PROJ-123/transitions")).willReturn(aResponse().withStatus(204)));
    }

    /** A real comment added through the service's own API, so the call log holds one real entry. */
    @State("an outbound call has been recorded")
    public void anOutboundCallHasBeenRecorded() throws Exception {
        issueExists();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://localhost:" + server.getPort() + "/api/v1/jira/issues/PROJ-123/comments"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\": \"Recorded for the call log\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("could not record a call: " + r.statusCode() + " " + r.body());
        }
    }

    @State("comment 10042 exists on PROJ-123")
    public void commentExists() {
        issueExists();
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/PROJ-123/comment/10042")).willReturn(json(200,
                resource("jira/update-comment.200.json").replace("\"id\": \"10000\"", "\"id\": \"10042\""))));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
