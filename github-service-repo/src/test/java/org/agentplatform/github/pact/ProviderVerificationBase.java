package org.agentplatform.github.pact;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.State;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import jakarta.inject.Inject;
import org.agentplatform.github.calls.CallRecordRepository;
import org.agentplatform.github.support.ServiceTestBase;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Provider side of the Pact contracts: consumers' interactions are replayed against the real service
 * (real mode, GITHUB_TOKEN set) with GitHub faked by WireMock. Each provider state stubs the fake GitHub
 * so that what the state names exists there. Each replayed request gets a valid service token.
 *
 * <p>Provider states consumers may use (exact strings):
 * <ul>
 *   <li>{@value #PR_7} — PR 7 (a pull request) can be commented on and read</li>
 *   <li>{@value #ISSUE_8} — issue 8 (not a pull request) can be commented on and read</li>
 *   <li>{@value #COMMENT_1234567} — issue comment and review comment 1234567 can be edited and reacted to</li>
 *   <li>{@value #CALL_RECORDED} — the call log holds one call (a comment on issue 8)</li>
 * </ul>
 */
public abstract class ProviderVerificationBase extends ServiceTestBase {

    public static final String PR_7 = "pull request octo/hello#7 exists";
    public static final String ISSUE_8 = "issue octo/hello#8 exists";
    public static final String COMMENT_1234567 = "comment 1234567 exists in octo/hello";
    public static final String CALL_RECORDED = "an outbound call has been recorded";
    static final String GITHUB_TOKEN = "ghp_pact_verification";

    @Inject
    CallRecordRepository calls;

    @Override
    protected Map<String, String> settings() {
        return Map.of("github.token", GITHUB_TOKEN);
    }

    @BeforeEach
    void target(PactVerificationContext context) {
        github.resetAll();
        calls.deleteAll(); // each interaction starts from an empty call log: no idempotency replays across interactions
        if (context != null) {
            context.setTarget(new HttpTestTarget("localhost", server.getPort()));
        }
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context, ClassicHttpRequest request) {
        if (context == null) {
            return; // no pacts to verify (@IgnoreNoPactsToVerify): ClassicHttpRequest is what its placeholder resolves
        }
        request.setHeader("Authorization", "Bearer " + AGENT_TOKEN);
        context.verifyInteraction();
    }

    @State(PR_7)
    void pullRequest7Exists() {
        stubIssue(7, true, "Add the agent", 1234567);
    }

    @State(ISSUE_8)
    void issue8Exists() {
        stubIssue(8, false, "Flaky test in CI", 1234568);
    }

    @State(COMMENT_1234567)
    void comment1234567Exists() {
        for (String kind : new String[]{"issues", "pulls"}) {
            github.stubFor(patch(urlPathEqualTo("/repos/octo/hello/" + kind + "/comments/1234567"))
                .willReturn(json(200, "{\"id\": 1234567, \"html_url\": \"https://github.com/octo/hello/issues/7#issuecomment-1234567\"}")));
            github.stubFor(post(urlPathEqualTo("/repos/octo/hello/" + kind + "/comments/1234567/reactions"))
                .willReturn(json(201, "{\"id\": 987, \"content\": \"eyes\"}")));
        }
    }

    /** A real comment posted through the service's own API, so the call log holds one real entry. */
    @State(CALL_RECORDED)
    void anOutboundCallHasBeenRecorded() throws Exception {
        issue8Exists();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://localhost:" + server.getPort() + "/api/v1/github/issues/octo/hello/8/comment"))
                .header("Authorization", "Bearer " + AGENT_TOKEN)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\": \"Recorded for the call log\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("could not record a call: " + r.statusCode() + " " + r.body());
        }
    }

    private void stubIssue(int number, boolean pullRequest, String title, long newCommentId) {
        String htmlUrl = "https://github.com/octo/hello/" + (pullRequest ? "pull/" : "issues/") + number;
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/" + number + "/comments"))
            .willReturn(json(201, "{\"id\": " + newCommentId + ", \"html_url\": \"" + htmlUrl + "#issuecomment-" + newCommentId + "\"}")));
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/" + number)).willReturn(json(200, "{\"number\": " + number
            + ", \"title\": \"" + title + "\", \"body\": \"Please have a look\", \"state\": \"open\", \"user\": {\"login\": \"octocat\"}, "
            + "\"labels\": [{\"name\": \"agent\"}], \"html_url\": \"" + htmlUrl + "\""
            + (pullRequest ? ", \"pull_request\": {\"url\": \"https://api.github.com/repos/octo/hello/pulls/" + number + "\"}" : "")
            + "}")));
        github.stubFor(WireMock.get(urlPathMatching("/repos/octo/hello/issues/" + number + "/comments.*")).willReturn(json(200, "[]")));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }
}
