package org.agentplatform.platformtests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5 across all seven real jars, in Debian's headless Chromium: log in to the dashboard, send
 * a signed GitHub webhook to the gateway, see the task appear in the list without a reload, open
 * it, see its log lines arrive and its final status; then cancel a slow task from the page and see
 * it end cancelled. (dashboard-repo's own browser test installs Chromium when it is missing; this
 * one runs after it in ./meta.sh test.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardLiveEndToEndTest {
    private static final String BROWSER = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";

    private Platform platform;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        assertThat(new File(BROWSER).canExecute() && new File(DRIVER).canExecute())
                .as("Chromium missing: run `apt-get install -y chromium chromium-driver` as root (dashboard-repo's test does it)")
                .isTrue();
        platform = new Platform("dashboard-e2e",
                List.of(Platform.GITHUB, Platform.JIRA, Platform.SLACK, Platform.SENTRY, Platform.AGENT, Platform.GATEWAY,
                        Platform.DASHBOARD),
                Map.of("AGENT_RUNNER", "command",
                        "AGENT_COMMAND", "echo \"step one for $AGENT_TASK_ID\"; case \"$AGENT_INPUT\" in *slow*) sleep 60;; *) sleep 2;; esac; "
                                + "echo \"step two\"; echo \"done: $AGENT_TASK_ID\"",
                        "AGENT_WORKERS", "2"));
        new FakeGithub(platform.fakeVendor);

        Path profile = Files.createTempDirectory("platform-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        // without the background-networking flags Chromium's own connections are refused by the closed network
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900");
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build(), options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aWebhookShowsUpLiveStreamsItsLogAndASlowTaskCanBeCancelled() throws Exception {
        driver.get(platform.service(Platform.DASHBOARD).url() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(platform.dashboardAdminPassword);
        driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-view")));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));

        // A signed mention to the gateway: the page shows it without a reload, then its log and result.
        String taskId = sendMention("@agent please fix the spelling in the README");
        By row = By.cssSelector("tr[data-task-id='" + taskId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        click(By.cssSelector("tr[data-task-id='" + taskId + "'] a"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-log"), "step one for " + taskId));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-log"), "done: " + taskId));
        wait.until(ExpectedConditions.textToBe(By.id("detail-status"), "succeeded"));
        screenshot("platform-task-succeeded");
        click(By.id("close-detail"));

        // A slow one, cancelled from the page: the agent stops it and the status follows.
        String slowId = sendMention("@agent slow: run the whole migration");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-task-id='" + slowId + "']")));
        click(By.cssSelector("tr[data-task-id='" + slowId + "'] a"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
        wait.until(ExpectedConditions.textToBe(By.id("detail-status"), "running"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("cancel-btn")));
        click(By.id("cancel-btn"));
        new WebDriverWait(driver, Duration.ofSeconds(40))
                .until(ExpectedConditions.textToBe(By.id("detail-status"), "cancelled"));
        screenshot("platform-task-cancelled");
    }

    /** The live list re-renders rows as events arrive: find and click again when the element went stale. */
    private void click(By by) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private String sendMention(String text) throws Exception {
        long commentId = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);
        HttpResponse<String> r = Webhooks.sendGithub(platform.service(Platform.GATEWAY).url(), "issue_comment",
                UUID.randomUUID().toString(), Webhooks.githubIssueComment(text, commentId), platform.webhookSecret);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Webhooks.JSON.readTree(r.body()).path("task_id").asText();
    }

    private void screenshot(String name) throws Exception {
        Path dir = platform.root.resolve("platform-tests/target/screenshots");
        Files.createDirectories(dir);
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
