package org.agentplatform.dashboard.auth;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.dashboard.support.ApiClient;
import org.agentplatform.dashboard.support.Fixtures;
import org.agentplatform.dashboard.support.TestInfra;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Login, session cookie, CSRF: nothing is readable or doable without a login. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return TestInfra.properties();
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
    }

    @ParameterizedTest(name = "{0} {1} without a login: 401")
    @CsvSource({
            "GET, /api/v1/dashboard/session",
            "DELETE, /api/v1/dashboard/session",
            "GET, /api/v1/dashboard/tasks",
            "GET, /api/v1/dashboard/tasks/" + Fixtures.TASK,
            "GET, /api/v1/dashboard/tasks/" + Fixtures.TASK + "/logs",
            "POST, /api/v1/dashboard/tasks/" + Fixtures.TASK + "/cancel",
            "POST, /api/v1/dashboard/tasks/" + Fixtures.TASK + "/retry",
            "GET, /api/v1/dashboard/health",
            "GET, /api/v1/dashboard/queue",
            "POST, /api/v1/dashboard/dead-letters/" + Fixtures.TASK + "/requeue",
            "GET, /api/v1/dashboard/calls",
            "GET, /api/v1/dashboard/events",
    })
    void everyOperationNeedsALogin(String method, String path) {
        HttpResponse<String> r = new ApiClient(server.getPort()).send(method, path, null, false, false);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"status\":401").contains("SESSION");
        // nothing reached an owner
        TestInfra.wiremock().verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void aForgedCookieIsNotASession() {
        ApiClient c = new ApiClient(server.getPort());
        HttpResponse<String> r = c.send("GET", "/api/v1/dashboard/tasks", null, false, false);
        assertThat(r.statusCode()).isEqualTo(401);
        java.net.http.HttpRequest forged = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/dashboard/session")).header("Cookie", "SESSION=abc").GET().build();
        try {
            assertThat(java.net.http.HttpClient.newHttpClient().send(forged, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndReturnsTheCsrfToken() {
        HttpResponse<String> r = new ApiClient(server.getPort()).send("POST", "/api/v1/dashboard/session",
                "{\"username\":\"admin\",\"password\":\"" + TestInfra.ADMIN_PASSWORD + "\"}", false, false);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"username\":\"admin\"").containsPattern("\"csrf_token\":\"[A-Za-z0-9_-]{16,128}\"");
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("SESSION=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");

        ApiClient c = new ApiClient(server.getPort()).login();
        HttpResponse<String> me = c.get("/api/v1/dashboard/session");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"csrf_token\":\"" + c.csrf() + "\"");
    }

    @Test
    void aWrongPasswordOrUnknownUserIs401() {
        ApiClient c = new ApiClient(server.getPort());
        HttpResponse<String> wrong = c.send("POST", "/api/v1/dashboard/session", "{\"username\":\"admin\",\"password\":\"nope\"}", false, false);
        HttpResponse<String> unknown = c.send("POST", "/api/v1/dashboard/session", "{\"username\":\"mallory\",\"password\":\"nope\"}", false, false);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        // same answer for both: the response does not tell which user names exist
        assertThat(wrong.body()).isEqualTo(unknown.body()).contains("Wrong user name or password");
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
    }

    @Test
    void anInvalidLoginBodyIs400NamingTheField() {
        HttpResponse<String> r = new ApiClient(server.getPort()).send("POST", "/api/v1/dashboard/session",
                "{\"username\":\"\",\"password\":\"x\"}", false, false);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body()).contains("\"invalid_params\"").contains("\"name\":\"username\"");

        HttpResponse<String> notJson = new ApiClient(server.getPort()).send("POST", "/api/v1/dashboard/session", "{nope", false, false);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");
    }

    @ParameterizedTest(name = "{0} {1} without the CSRF header: 403")
    @CsvSource({
            "POST, /api/v1/dashboard/tasks/" + Fixtures.TASK + "/cancel",
            "POST, /api/v1/dashboard/tasks/" + Fixtures.TASK + "/retry",
            "POST, /api/v1/dashboard/dead-letters/" + Fixtures.TASK + "/requeue",
            "DELETE, /api/v1/dashboard/session",
    })
    void actionsNeedTheCsrfHeader(String method, String path) {
        TestInfra.wiremock().stubFor(post(urlPathEqualTo("/api/v1/agent/runs/" + Fixtures.TASK + "/cancel"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody(Fixtures.run(Fixtures.TASK, "cancelled"))));
        ApiClient c = new ApiClient(server.getPort()).login();
        HttpResponse<String> missing = c.send(method, path, null, true, false);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        assertThat(missing.body()).contains("X-CSRF-Token");

        java.net.http.HttpRequest wrong = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.getPort() + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Cookie", c.cookie()).header("X-CSRF-Token", "AAAAAAAAAAAAAAAAAAAAAAAA").build();
        try {
            assertThat(java.net.http.HttpClient.newHttpClient().send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        TestInfra.wiremock().verify(0, postRequestedFor(anyUrl()));
        // the session is still alive (a failed CSRF check does not log out)
        assertThat(c.get("/api/v1/dashboard/session").statusCode()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheSession() {
        ApiClient c = new ApiClient(server.getPort()).login();
        HttpResponse<String> out = c.action("DELETE", "/api/v1/dashboard/session");
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("set-cookie").orElse("")).startsWith("SESSION=").containsIgnoringCase("Max-Age=0");
        assertThat(c.get("/api/v1/dashboard/session").statusCode()).isEqualTo(401);
    }

    @Test
    void theWebPageItselfIsServedWithoutALogin() {
        HttpResponse<String> page = new ApiClient(server.getPort()).send("GET", "/", null, false, false);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form id=\"login-form\"");
        assertThat(new ApiClient(server.getPort()).send("GET", "/app.js", null, false, false).statusCode()).isEqualTo(200);
    }
}
