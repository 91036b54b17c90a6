package org.agentplatform.sentry;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.sentry.support.FakeSentryTest;
import org.agentplatform.sentry.support.TestSupport;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.agentplatform.sentry.support.TestSupport.AGENT_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.SENTRY_TOKEN;
import static org.agentplatform.sentry.support.TestSupport.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With SENTRY_ORG set, the organization-scoped issue endpoints are used for every operation. */
@MicronautTest(transactional = false)
class OrgScopedTest extends FakeSentryTest {

    private static final String ISSUE = "/api/0/organizations/acme/issues/1234567890/";

    OrgScopedTest() {
        super("org");
    }

    @Override
    protected void configure(Map<String, String> p) {
        p.put("sentry.api-url", sentry.baseUrl() + "/api/0/"); // a trailing slash is tolerated
        p.put("sentry.org", "acme");
    }

    private HttpResponse<String> send(String method, String path, String body) {
        return TestSupport.send(method, "http://localhost:" + server.getPort() + path, body,
                "Authorization", "Bearer " + AGENT_TOKEN);
    }

    @Test
    void allOperationsUseTheOrganizationScopedPaths() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));
        sentry.stubFor(WireMock.get(ISSUE + "events/latest/").willReturn(okJson(fixture("latest-event-1234567890.json"))));
        sentry.stubFor(post(ISSUE + "comments/").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(fixture("note-created.json"))));
        sentry.stubFor(put(ISSUE).willReturn(okJson(fixture("issue-1234567890.json"))));

        assertEquals(200, send("GET", "/api/v1/sentry/issues/1234567890", null).statusCode());
        assertEquals(200, send("POST", "/api/v1/sentry/issues/1234567890/notes", "{\"text\": \"org note\"}").statusCode());
        assertEquals(200, send("PUT", "/api/v1/sentry/issues/1234567890", "{\"status\": \"unresolved\"}").statusCode());

        sentry.verify(1, getRequestedFor(urlEqualTo(ISSUE)).withHeader("Authorization", equalTo("Bearer " + SENTRY_TOKEN)));
        sentry.verify(1, getRequestedFor(urlEqualTo(ISSUE + "events/latest/")));
        sentry.verify(1, postRequestedFor(urlEqualTo(ISSUE + "comments/"))
                .withRequestBody(equalToJson("{\"text\": \"org note\"}")));
        sentry.verify(1, putRequestedFor(urlEqualTo(ISSUE)).withRequestBody(equalToJson("{\"status\": \"unresolved\"}")));
        assertEquals(4, sentry.getAllServeEvents().size());
    }

    @Test
    void notFoundPointsAtSentryOrg() {
        sentry.stubFor(WireMock.get(ISSUE).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\": \"The requested resource does not exist\"}")));
        HttpResponse<String> r = send("GET", "/api/v1/sentry/issues/1234567890", null);
        assertEquals(404, r.statusCode(), r.body());
        String detail = (String) TestSupport.json(mapper, r.body()).get("detail");
        assertTrue(detail.contains("SENTRY_ORG") && detail.contains("acme"), detail);
    }
}
