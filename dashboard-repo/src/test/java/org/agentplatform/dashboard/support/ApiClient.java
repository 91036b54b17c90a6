package org.agentplatform.dashboard.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain JDK HTTP client against the dashboard (no Micronaut client magic between the test and the wire). */
public final class ApiClient {
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private String cookie;
    private String csrf;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Logs in as admin; keeps the SESSION cookie and the CSRF token. */
    public ApiClient login() {
        HttpResponse<String> r = send("POST", "/api/v1/dashboard/session",
                "{\"username\":\"admin\",\"password\":\"" + TestInfra.ADMIN_PASSWORD + "\"}", false, false);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        csrf = r.body().replaceAll(".*\"csrf_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        return this;
    }

    public String cookie() {
        return cookie;
    }

    public String csrf() {
        return csrf;
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, true, false);
    }

    /** GET with the session cookie and these extra headers. */
    public HttpResponse<String> get(String path, java.util.Map<String, String> headers) {
        return send("GET", path, null, true, false, headers);
    }

    /** POST/DELETE with the session cookie and the CSRF header. */
    public HttpResponse<String> action(String method, String path) {
        return send(method, path, null, true, true);
    }

    public HttpResponse<String> send(String method, String path, String json, boolean withCookie, boolean withCsrf) {
        return send(method, path, json, withCookie, withCsrf, java.util.Map.of());
    }

    private HttpResponse<String> send(String method, String path, String json, boolean withCookie, boolean withCsrf,
                                      java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(b::header);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (withCookie && cookie != null) {
            b.header("Cookie", cookie);
        }
        if (withCsrf && csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
