package org.agentplatform.dashboard.browser;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.dashboard.events.EventStream;
import org.agentplatform.dashboard.support.Fixtures;
import org.agentplatform.dashboard.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real headless Chromium: the dashboard runs in-process on a real port, the
 * agent/gateway/vendor services are WireMock, and the test plays the agent by publishing
 * TaskEvents on the embedded Redis's {@code agent:events}. Log in, a new task appears without a
 * reload, its log streams, cancel goes to the (fake) agent and the cancelled event shows.
 * Screenshots at 1280 px and 375 px go to target/screenshots.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest implements TestPropertyProvider {
    static final String OLD = "1f0c2a9e-0000-4000-8000-00000000000a";
    static final String NEW = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";

    @Inject
    EmbeddedServer server;
    @Inject
    EventStream events;

    ChromeDriver driver;
    WebDriverWait wait;
    Path shots;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(TestInfra.properties());
        // a loaded CI machine can make WireMock slow: the health panel should still show "up"
        p.put("dashboard.health.timeout-ms", "5000");
        return p;
    }

    @BeforeAll
    void browser() throws IOException {
        Chromium.ensureInstalled();
        TestInfra.reset();
        stubUpstreams();
        driver = Chromium.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        shots = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(shots);
    }

    @AfterAll
    void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static void json(com.github.tomakehurst.wiremock.client.MappingBuilder m, int status, String body) {
        TestInfra.wiremock().stubFor(m.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private void stubUpstreams() {
        String old = Fixtures.run(OLD, "succeeded").replace("\"@agent please review\"", "\"@agent triage the flaky test\"");
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/runs")), 200, Fixtures.runsPage(old));
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + OLD)), 200, old);
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + NEW)), 200, Fixtures.run(NEW, "running"));
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + NEW + "/logs")), 200, Fixtures.logPage(NEW, 0, false));
        json(post(urlPathEqualTo("/api/v1/agent/runs/" + NEW + "/cancel")), 202, Fixtures.run(NEW, "running"));
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/stats")), 200,
                "{\"queue_depth\":2,\"in_flight\":1,\"dead_letter_count\":1,\"runs_by_status\":{},\"total_cost_usd\":0.05}");
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/dead-letters")), 200, """
                {"items":[{"task_id":"5b2d0c1e-0000-4000-8000-000000000002","reason":"runner failed 3 times: exit code 1","attempts":3,
                 "failed_at":"2026-11-26T09:05:00Z","input_message":"@agent fix the build","source_vendor":"github"}],"page":0,"size":20,"total":1}""");
        json(WireMock.get(urlPathEqualTo("/api/v1/deliveries")), 200, Fixtures.emptyPage());
        json(WireMock.get(urlPathEqualTo("/api/v1/github/calls")), 200, Fixtures.callsPage(1, "2026-11-26T10:00:03Z", true));
        for (String v : new String[] {"jira", "slack", "sentry"}) {
            json(WireMock.get(urlPathEqualTo("/api/v1/" + v + "/calls")), 200, Fixtures.emptyPage());
        }
        Fixtures.healthUp();
    }

    @Test
    void aLiveTaskFromLoginToCancel() throws Exception {
        String base = "http://127.0.0.1:" + server.getPort();
        driver.get(base + "/");

        // log in
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(TestInfra.ADMIN_PASSWORD);
        driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        awaitSubscriber();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-task-id='" + OLD + "']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#health-list li[data-component='redis']")));
        assertThat(driver.findElement(By.id("queue-depth")).getText()).isEqualTo("2");
        assertThat(driver.findElement(By.id("calls-list")).getText()).contains("DRY RUN", "postPrComment");

        // a new task appears without a reload (the agent publishes queued, then started)
        Object marker = mark();
        Fixtures.publish(Fixtures.event(NEW, "queued", "queued (agent:tasks:0)", null));
        By newRow = By.cssSelector("tr[data-task-id='" + NEW + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(newRow));
        Fixtures.publish(Fixtures.event(NEW, "started", "attempt 1 started", null));
        wait.until(d -> rowStatus(NEW).equals("running"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(newRow, "@agent please review"));
        assertThat(driver.findElement(By.id("page-info")).getText()).endsWith("2 tasks");
        assertThat(mark()).as("no page reload").isEqualTo(marker);
        screenshot("tasks-1280.png");

        // open it: detail with status and a streaming log
        driver.findElement(By.cssSelector("tr[data-task-id='" + NEW + "'] a.task-link")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
        wait.until(ExpectedConditions.textToBe(By.id("detail-status"), "running"));
        Fixtures.publish(Fixtures.event(NEW, "progress", "cloning octo/hello", 0L));
        Fixtures.publish(Fixtures.event(NEW, "progress", "running the tests: 42 passed", 1L));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-log"), "cloning octo/hello"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-log"), "running the tests: 42 passed"));

        // cancel: the request goes to the agent, then the agent's cancelled event changes the status
        WebElement cancel = driver.findElement(By.id("cancel-btn"));
        assertThat(cancel.isEnabled()).isTrue();
        cancel.click();
        wait.until(ExpectedConditions.textToBe(By.id("action-status"), "Cancellation requested"));
        TestInfra.wiremock().verify(postRequestedFor(urlPathEqualTo("/api/v1/agent/runs/" + NEW + "/cancel"))
                .withHeader("Authorization", equalTo("Bearer " + TestInfra.SERVICE_TOKEN)));
        // what the agent answers once the run is cancelled: its history now ends with the cancel
        json(WireMock.get(urlPathEqualTo("/api/v1/agent/runs/" + NEW)), 200, Fixtures.run(NEW, "cancelled").replace("\"attempt 1\"}]",
                "\"attempt 1\"},{\"status\":\"cancelled\",\"at\":\"2026-11-26T10:00:05Z\",\"message\":\"cancelled by the dashboard\"}]"));
        Fixtures.publish(Fixtures.event(NEW, "cancelled", "cancelled by the dashboard", null));
        wait.until(ExpectedConditions.textToBe(By.id("detail-status"), "cancelled"));
        wait.until(d -> !d.findElement(By.id("cancel-btn")).isEnabled());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-history"), "cancelled by the dashboard"));
        assertThat(mark()).as("no page reload").isEqualTo(marker);
        screenshot("task-detail-1280.png");

        // phone width: nothing wider than the screen, same content
        driver.manage().window().setSize(new Dimension(375, 812));
        wait.until(d -> (Long) js("return window.innerWidth") <= 400);
        assertNoHorizontalOverflow();
        screenshot("task-detail-375.png");
        driver.findElement(By.id("close-detail")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tasks")));
        wait.until(d -> rowStatus(NEW).equals("cancelled"));
        assertNoHorizontalOverflow();
        screenshot("tasks-375.png");
    }

    private String rowStatus(String id) {
        // read in one script: the page replaces rows as events arrive, so a found element may go stale
        return String.valueOf(js("const e = document.querySelector(\"tr[data-task-id='" + id + "'] .status\"); return e ? e.textContent : '';"));
    }

    /** A value on window that a reload would lose. */
    private Object mark() {
        return js("window.__mark = window.__mark || Math.random(); return window.__mark;");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private void assertNoHorizontalOverflow() {
        Long scroll = (Long) js("return document.documentElement.scrollWidth");
        Long inner = (Long) js("return window.innerWidth");
        Object wide = js("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className).join(', ')");
        assertThat(scroll).as("page width at %s px; too wide: %s", inner, wide).isLessThanOrEqualTo(inner);
    }

    private void awaitSubscriber() throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        while (events.subscriberCount() < 1 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
    }

    private void screenshot(String name) throws IOException {
        Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, shots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
