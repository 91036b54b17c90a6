package org.agentplatform.sentry.pact;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junitsupport.State;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.sentry.support.TestSupport;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.agentplatform.sentry.support.TestSupport.fixture;

/**
 * The provider states sentry-service offers its consumers. The service runs in real mode against a
 * WireMock that plays Sentry with the fixtures of src/test/resources/sentry (Sentry's own shapes),
 * so verification exercises the real mapping, not a dry-run shortcut.
 */
abstract class SentryProviderStates implements TestPropertyProvider {

    static final String ISSUE = "/api/0/issues/1234567890/";

    final WireMockServer sentry = new WireMockServer(options().dynamicPort());

    @Inject
    EmbeddedServer server;

    @Inject
    org.agentplatform.sentry.calls.OutboundCallRepository calls;

    @Override
    public Map<String, String> getProperties() {
        sentry.start();
        Map<String, String> p = TestSupport.baseProperties("pact");
        p.put("sentry.api-url", sentry.baseUrl() + "/api/0");
        p.put("sentry.auth-token", TestSupport.SENTRY_TOKEN);
        return p;
    }

    @AfterAll
    void stopSentry() {
        sentry.stop();
    }

    @BeforeEach
    void target(PactVerificationContext context) {
        if (context != null) {
            context.setTarget(new HttpTestTarget("localhost", server.getPort()));
        }
    }

    /** Every replayed request carries a valid service token, as real callers' requests do. */
    static void authorize(ClassicHttpRequest request) {
        if (request == null) {
            return;
        }
        request.setHeader("Authorization", "Bearer " + TestSupport.GATEWAY_TOKEN);
    }

    @State("sentry issue 1234567890 exists with a latest event")
    public void issueWithLatestEvent() {
        sentry.resetAll();
        sentry.stubFor(WireMock.get(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));
        sentry.stubFor(WireMock.get(ISSUE + "events/latest/")
                .willReturn(okJson(fixture("latest-event-1234567890.json"))));
        sentry.stubFor(post(ISSUE + "comments/").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        sentry.stubFor(put(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));
    }

    @State("sentry issue 1234567890 does not exist")
    public void noSuchIssue() {
        sentry.resetAll();
        sentry.stubFor(WireMock.any(WireMock.urlPathMatching("/api/0/issues/1234567890/.*"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\": \"The requested resource does not exist\"}")));
    }

    /** A real note added through the service's own API, so the call log holds one real entry. */
    @State("an outbound call has been recorded")
    public void anOutboundCallHasBeenRecorded() throws Exception {
        calls.deleteAll(); // exactly the one call below, not what earlier interactions left
        issueWithLatestEvent();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://localhost:" + server.getPort() + "/api/v1/sentry/issues/1234567890/notes"))
                        .header("Authorization", "Bearer " + TestSupport.GATEWAY_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\": \"Recorded for the call log\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("could not record a call: " + r.statusCode() + " " + r.body());
        }
    }
}
