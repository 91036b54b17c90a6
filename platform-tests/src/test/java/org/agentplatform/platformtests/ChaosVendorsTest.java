package org.agentplatform.platformtests;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.agentplatform.platformtests.ChaosStreams.at;
import static org.agentplatform.platformtests.ChaosStreams.restart;

/**
 * Issue 6's faults extended to every vendor: one stream mixes, in turn, a GitHub issue comment, a Slack
 * app mention, a Jira issue labelled {@code agent} and a new Sentry issue — each in the vendor's own format,
 * signed the vendor's way — and every accepted task must be answered exactly once where it came from
 * (GitHub comment, Slack thread reply, Jira comment, Sentry note) while each vendor's API fails, each vendor
 * service is down, or each vendor service's own PostgreSQL restarts. Two agent processes compete throughout.
 */
@Tag("chaos")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosVendorsTest {
    /** The answer-creating calls of each vendor API, as the fakes serve them. */
    private static final List<String> CREATES = List.of(
            "/repos/Codertocat/Hello-World/issues/[0-9]+/comments",
            FakeVendors.SLACK_API + "/chat\\.postMessage",
            FakeVendors.JIRA_BASE + "/rest/api/3/issue/[^/]+/comment",
            FakeVendors.SENTRY_API + "/issues/[0-9]+/comments/");
    private static final List<Platform.Service> VENDOR_SERVICES =
            List.of(Platform.GITHUB, Platform.SLACK, Platform.JIRA, Platform.SENTRY);
    private static final Set<Platform.Service> OWN_POSTGRES = Set.of(Platform.SLACK, Platform.JIRA, Platform.SENTRY);

    private Platform platform;
    private ChaosStreams chaos;
    private final AtomicLong sentryIssues = new AtomicLong(ThreadLocalRandom.current().nextLong(2_000_000_000L, 3_000_000_000L));

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_RUNNER", "command");
        env.put("AGENT_COMMAND", "sleep 0.3; echo \"answer for $AGENT_TASK_ID\"");
        env.put("AGENT_VISIBILITY_TIMEOUT_SECONDS", "5");
        env.put("AGENT_MAX_ATTEMPTS", "4");
        env.put("AGENT_ANSWER_POST_ATTEMPTS", "3");
        env.put("AGENT_ANSWER_POST_BACKOFF_MS", "300");
        // Each vendor service: three tries, short backoff, a 2 s timeout the delayed answers overrun.
        env.put("GITHUB_MAX_ATTEMPTS", "3");
        env.put("GITHUB_RETRY_BASE_DELAY", "200ms");
        env.put("GITHUB_REQUEST_TIMEOUT", "2s");
        env.put("SLACK_MAX_ATTEMPTS", "3");
        env.put("SLACK_BACKOFF_INITIAL", "200ms");
        env.put("SLACK_REQUEST_TIMEOUT", "2s");
        env.put("JIRA_MAX_ATTEMPTS", "3");
        env.put("JIRA_RETRY_BASE_DELAY", "200ms");
        env.put("JIRA_READ_TIMEOUT", "2s");
        env.put("SENTRY_MAX_ATTEMPTS", "3");
        env.put("SENTRY_RETRY_BASE_DELAY", "200ms");
        env.put("SENTRY_REQUEST_TIMEOUT", "2s");
        platform = new Platform("chaos-vendors",
                List.of(Platform.GITHUB, Platform.SLACK, Platform.JIRA, Platform.SENTRY, Platform.AGENT, Platform.GATEWAY),
                env, OWN_POSTGRES);
        new FakeGithub(platform.fakeVendor);
        new FakeVendors(platform.fakeVendor).anySentryIssue();
        ServiceProcess agentB = platform.replica(Platform.AGENT, "agent-2");
        agentB.start();
        agentB.awaitHealthy(Duration.ofSeconds(90));
        chaos = new ChaosStreams(platform, platform.service(Platform.GATEWAY)::url, agentB);
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void everyVendorApiFails_500_then429_thenTimeouts_answeredOnceEach() throws Exception {
        List<StubMapping> faults = new ArrayList<>();
        String scenario = "all four vendor APIs 500, 429, timeouts";
        TaskStream s = chaos.stream(scenario, mixed(scenario),
                at(3, () -> everyVendorAnswers(faults, 500, 0, null)),
                at(6, () -> {
                    removeAll(faults);
                    everyVendorAnswers(faults, 429, 0, "1");
                }),
                at(9, () -> {
                    removeAll(faults);
                    everyVendorAnswers(faults, 0, 3000, null);
                }),
                at(12, () -> removeAll(faults)));
        chaos.assertNothingLost(s, chaos.settleAndCount(s, "GitHub, Slack, Jira and Sentry deliveries in turn; each API "
                + "answers 500 (3–6 s), 429 Retry-After: 1 (6–9 s), its usual answer 3 s late, past a 2 s timeout (9–12 s); "
                + "lost answers looked for, by vendor: " + VendorMessages.lookupsByVendor(platform.fakeVendor)
                + "; duplicates by vendor: " + VendorMessages.duplicatesByVendor(platform.fakeVendor)));
    }

    @Test
    @Order(2)
    void everyVendorServiceDown_answersWaitAndAreDeliveredWhenTheyAreBack() throws Exception {
        String scenario = "all four vendor services down";
        TaskStream s = chaos.stream(scenario, mixed(scenario),
                at(4, () -> each(VENDOR_SERVICES, v -> platform.service(v).stop())),
                at(8, () -> {
                    each(VENDOR_SERVICES, v -> platform.service(v).start());
                    each(VENDOR_SERVICES, v -> platform.service(v).awaitHealthy(Duration.ofSeconds(90)));
                }));
        chaos.assertNothingLost(s, chaos.settleAndCount(s,
                "GitHub, Slack, Jira and Sentry deliveries in turn; github-, slack-, jira- and sentry-service stopped at 4 s, started again at 8 s"));
    }

    @Test
    @Order(3)
    void vendorServicesPostgresRestarted_theyRecoverByThemselves() throws Exception {
        String scenario = "slack-, jira-, sentry-service PostgreSQL restarted";
        TaskStream s = chaos.stream(scenario, mixed(scenario),
                at(4, () -> each(OWN_POSTGRES, platform::stopPostgresOf)),
                at(9, () -> each(OWN_POSTGRES, platform::startPostgresOf)));
        StreamOutcome c = chaos.settleAndCount(s, "GitHub, Slack, Jira and Sentry deliveries in turn; the own PostgreSQL "
                + "servers of slack-, jira- and sentry-service down from 4 s to 9 s; services not restarted");
        chaos.assertNothingLost(s, c);
        each(OWN_POSTGRES, v -> platform.service(v).awaitHealthy(Duration.ofSeconds(30)));
    }

    // ---- the harness ------------------------------------------------------------------------------

    private interface ServiceAction {
        void on(Platform.Service service) throws Exception;
    }

    private static void each(java.util.Collection<Platform.Service> services, ServiceAction action) throws Exception {
        for (Platform.Service s : services) {
            action.on(s);
        }
    }

    /** GitHub, Slack, Jira and Sentry deliveries in turn, each a new conversation of its vendor. */
    private TaskStream.Deliveries mixed(String scenario) {
        return (gatewayUrl, n) -> switch ((int) (n % 4)) {
            case 1 -> TaskStream.github(scenario, platform.webhookSecret).delivery(gatewayUrl, n);
            case 2 -> {
                long now = System.currentTimeMillis();
                String ts = now / 1000 + "." + String.format("%06d", n % 1_000_000);
                String eventId = "Ev" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
                yield Webhooks.slack(gatewayUrl, "application/json",
                        Webhooks.slackAppMention(eventId, ts, scenario + " #" + n),
                        platform.slackSigningSecret, now / 1000, null);
            }
            case 3 -> Webhooks.jira(gatewayUrl,
                    FakeVendors.resource("jira/jira_issue_updated.labelled.json").getBytes(StandardCharsets.UTF_8),
                    platform.jiraWebhookSecret, UUID.randomUUID().toString());
            default -> Webhooks.sentry(gatewayUrl, "issue", Webhooks.sentryIssueCreated(sentryIssues.incrementAndGet()),
                    platform.sentryClientSecret, UUID.randomUUID().toString());
        };
    }

    /**
     * Puts a fault in front of every vendor's answer-creating call: {@code status} with the vendor's own error
     * body (and {@code Retry-After} when given), or with {@code delayMs} its usual success answer that late.
     */
    private void everyVendorAnswers(List<StubMapping> faults, int status, int delayMs, String retryAfter) {
        for (String path : CREATES) {
            ResponseDefinitionBuilder r;
            if (delayMs > 0) {
                r = created(path).withFixedDelay(delayMs);
            } else {
                r = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody(errorBody(path, status));
                if (retryAfter != null) {
                    r = r.withHeader("Retry-After", retryAfter);
                }
            }
            faults.add(platform.fakeVendor.stubFor(post(urlPathMatching(path)).atPriority(1).willReturn(r)));
        }
    }

    private void removeAll(List<StubMapping> faults) {
        faults.forEach(platform.fakeVendor::removeStub);
        faults.clear();
    }

    /** Each vendor's success answer to a create, as its usual stub gives it. */
    private static ResponseDefinitionBuilder created(String path) {
        ResponseDefinitionBuilder ok = aResponse().withHeader("Content-Type", "application/json; charset=utf-8");
        if (path.startsWith(FakeVendors.SLACK_API)) {
            return ok.withStatus(200).withBody(FakeVendors.resource("slack/chat.postMessage.ok.json"));
        }
        if (path.startsWith(FakeVendors.JIRA_BASE)) {
            return ok.withStatus(201).withBody(FakeVendors.resource("jira/add-comment.201.json"));
        }
        if (path.startsWith(FakeVendors.SENTRY_API)) {
            return ok.withStatus(201).withBody(FakeVendors.resource("sentry/note-created.json"));
        }
        return ok.withStatus(201).withBody("{\"id\":1555000112,\"html_url\":\"https://github.com/Codertocat/Hello-World/"
                + "issues/1#issuecomment-1555000112\",\"body\":\"ok\"}");
    }

    /** The error bodies each vendor documents for these statuses. */
    private static String errorBody(String path, int status) {
        if (path.startsWith(FakeVendors.SLACK_API)) {
            return status == 429 ? "{\"ok\":false,\"error\":\"ratelimited\"}" : "{\"ok\":false,\"error\":\"internal_error\"}";
        }
        if (path.startsWith(FakeVendors.JIRA_BASE)) {
            return status == 429 ? "{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}"
                    : "{\"errorMessages\":[\"Internal server error\"],\"errors\":{}}";
        }
        if (path.startsWith(FakeVendors.SENTRY_API)) {
            return status == 429 ? "{\"detail\":\"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds\"}"
                    : "{\"detail\":\"Internal Error\"}";
        }
        return status == 429 ? "{\"message\":\"API rate limit exceeded\"}" : "{\"message\":\"Server Error\"}";
    }
}
