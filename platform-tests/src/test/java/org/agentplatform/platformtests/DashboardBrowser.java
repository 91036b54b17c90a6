package org.agentplatform.platformtests;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The dashboard's JSON API as a logged-in browser sees it: a session cookie from {@code POST /session}. */
final class DashboardBrowser {
    private final HttpClient browser = HttpClient.newBuilder()
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;

    private DashboardBrowser(String dashboardUrl) {
        this.api = dashboardUrl + "/api/v1/dashboard";
    }

    /** Logs in as the admin; the login's answer is returned for callers that inspect it. */
    static DashboardBrowser login(Platform platform, java.util.function.Consumer<HttpResponse<String>> loginAnswer)
            throws IOException, InterruptedException {
        DashboardBrowser b = new DashboardBrowser(platform.service(Platform.DASHBOARD).url());
        HttpResponse<String> login = b.browser.send(HttpRequest.newBuilder(URI.create(b.api + "/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + platform.dashboardAdminPassword + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        loginAnswer.accept(login);
        return b;
    }

    /** GET of a dashboard API page, e.g. {@code /tasks} or {@code /queue}. */
    HttpResponse<String> get(String page) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(api + page)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
