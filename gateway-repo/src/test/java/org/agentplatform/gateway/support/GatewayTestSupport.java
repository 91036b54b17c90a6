package org.agentplatform.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.store.DeliveryRepository;
import org.agentplatform.gateway.store.TaskRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Base of the {@code @MicronautTest} classes: the real gateway on a random port, on the shared
 * embedded PostgreSQL and Redis ({@link TestInfra}), with github-service faked by WireMock.
 * Every test starts from empty tables, an empty Redis and a fresh WireMock journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayTestSupport implements TestPropertyProvider {

    /** The secret of GitHub's own signature example. */
    public static final String SECRET = "It's a Secret to Everybody";
    /** What callers of /api/v1 present (SERVICE_TOKENS = tester:...). */
    public static final String API_TOKEN = "tester-token-1";
    /** What the gateway sends to github-service (SERVICE_TOKEN). */
    public static final String GATEWAY_TOKEN = "gateway-token-for-github-service";
    public static final String REACTIONS_PATH = "/api/v1/github/comments/.*/reactions";
    /** Slack's own signing secret of its worked example (verifying-requests-from-slack). */
    public static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String JIRA_SECRET = "jira-webhook-secret";
    public static final String SENTRY_SECRET = "sentry-client-secret";
    public static final String JIRA_BOT = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077";
    public static final String SLACK_REACTIONS_PATH = "/api/v1/slack/reactions";
    public static final String SENTRY_ISSUE_PATH = "/api/v1/sentry/issues/[0-9]+";

    protected static final JsonMapper JSON = JsonMapper.createDefault();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    protected WireMockServer githubService;
    protected RedisClient redisClient;
    protected RedisCommands<String, String> redis;

    @Inject
    protected EmbeddedServer server;
    @Inject
    protected TaskRepository tasks;
    @Inject
    protected DeliveryRepository deliveries;

    @Override
    public Map<String, String> getProperties() {
        githubService = new WireMockServer(options().dynamicPort());
        githubService.start();
        Map<String, String> p = new HashMap<>(TestInfra.properties());
        p.put("micronaut.server.port", "-1");   // application.yml says ${PORT:8080}
        p.put("gateway.github.webhook-secret", SECRET);
        p.put("gateway.auth.service-tokens", "tester:" + API_TOKEN + ",agent:agent-token");
        p.put("gateway.auth.service-token", GATEWAY_TOKEN);
        p.put("micronaut.http.services.github-service.url", githubService.baseUrl());
        // one WireMock plays all vendor services: their paths do not overlap
        p.put("micronaut.http.services.slack-service.url", githubService.baseUrl());
        p.put("micronaut.http.services.sentry-service.url", githubService.baseUrl());
        p.put("gateway.slack.signing-secret", SLACK_SECRET);
        p.put("gateway.jira.webhook-secret", JIRA_SECRET);
        p.put("gateway.jira.bot-account-id", JIRA_BOT);
        p.put("gateway.sentry.client-secret", SENTRY_SECRET);
        p.put("gateway.sentry.enrich-first-backoff", "100ms");
        p.put("gateway.sentry.enrich-max-backoff", "300ms");
        p.put("gateway.outbox.relay-interval", "200ms");
        p.put("gateway.reaction.first-backoff", "200ms");
        p.put("gateway.reaction.max-backoff", "1s");
        // the production read timeout (3 s) is too short for a WireMock on a build box with a load of
        // 10+: a timed-out first call would be retried and the "exactly one reaction" checks fail
        for (String service : List.of("github-service", "slack-service", "sentry-service")) {
            p.put("micronaut.http.services." + service + ".read-timeout", "15s");
        }
        p.putAll(extraProperties());
        redisClient = RedisClient.create(p.get("gateway.redis.url"));
        return p;
    }

    /** Per-class configuration (env vars of the scenario). */
    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    @BeforeEach
    void reset() {
        jdbc("TRUNCATE delivery, task, task_dedupe");
        redis().flushall();
        githubService.resetAll();
        githubService.stubFor(post(urlPathMatching(REACTIONS_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\":true,\"reaction_id\":987,\"dry_run\":false,\"message\":\"Reaction added\"}")));
        githubService.stubFor(post(SLACK_REACTIONS_PATH).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"success\":true,\"dry_run\":false,\"message\":\"Reaction added\"}")));
        githubService.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching(SENTRY_ISSUE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(new String(VendorPayloads.raw("sentry/sentry-service-issue.json"), StandardCharsets.UTF_8))));
    }

    @AfterAll
    void stopFakes() {
        if (githubService != null) {
            githubService.stop();
        }
        if (redisClient != null) {
            redisClient.shutdown();
        }
    }

    // ---- Redis -----------------------------------------------------------------------------------

    protected RedisCommands<String, String> redis() {
        if (redis == null) {
            redis = redisClient.connect().sync();
        }
        return redis;
    }

    protected long streamLength(String stream) {
        return redis().xlen(stream);
    }

    /** All entries of a task stream. */
    protected List<StreamMessage<String, String>> entries(String stream) {
        return redis().xrange(stream, io.lettuce.core.Range.create("-", "+"));
    }

    protected TaskQueueMessage parseMessage(String json) {
        try {
            return JSON.readValue(json, TaskQueueMessage.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- database --------------------------------------------------------------------------------

    protected static void jdbc(String sql) {
        try (Connection c = DriverManager.getConnection(TestInfra.postgres().getJdbcUrl("postgres", "postgres"),
                "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected long taskCount() {
        return tasks.count();
    }

    protected long deliveryCount() {
        return deliveries.count();
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    public record Response(int status, Map<String, Object> json, java.net.http.HttpHeaders headers, String body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    /** A delivery signed with the configured secret. */
    protected Response deliver(String event, String deliveryId, byte[] body) {
        return deliver(event, deliveryId, body, Signer.sign(body, SECRET), Map.of());
    }

    protected Response deliver(String event, String deliveryId, byte[] body, String signature,
                               Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "GitHub-Hookshot/044aadd");
        if (event != null) {
            headers.put("X-GitHub-Event", event);
        }
        if (deliveryId != null) {
            headers.put("X-GitHub-Delivery", deliveryId);
        }
        headers.put("X-GitHub-Hook-ID", "292430182");
        if (signature != null) {
            headers.put("X-Hub-Signature-256", signature);
        }
        headers.putAll(extraHeaders);
        return send("POST", "/webhooks/github", body, headers);
    }

    protected static String newDeliveryId() {
        return UUID.randomUUID().toString();
    }

    protected Response send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, Object> json = null;
            if (r.body() != null && r.body().startsWith("{")) {
                json = JSON.readValue(r.body(), Argument.mapOf(String.class, Object.class));
            }
            return new Response(r.statusCode(), json, r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected Response api(String method, String path, String json, String token, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        headers.putAll(extra);
        return send(method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Delivers a signed GitHub event to the running gateway and returns the TaskQueueMessage JSON
     * the gateway put on the queue for it, exactly as stored in the stream entry.
     */
    public String taskMessageFor(String event, byte[] body, Duration timeout) {
        Response r = deliver(event, newDeliveryId(), body);
        if (r.status() != 202 || r.json() == null || !"task_created".equals(r.json().get("outcome"))) {
            throw new AssertionError("Expected a created task, got " + r.status() + " " + r.body());
        }
        return queuedMessage((String) r.json().get("task_id"), timeout);
    }

    /** The response must say task_created; returns the JSON the gateway XADDed for that task. */
    public String queuedMessageOf(Response r, Duration timeout) {
        if (r.status() >= 300 || r.json() == null || !"task_created".equals(r.json().get("outcome"))) {
            throw new AssertionError("Expected a created task, got " + r.status() + " " + r.body());
        }
        return queuedMessage((String) r.json().get("task_id"), timeout);
    }

    /** The TaskQueueMessage JSON of {@code taskId} as it lies on the Redis stream (waits for it). */
    public String queuedMessage(String taskId, Duration timeout) {
        String[] found = new String[1];
        await("task " + taskId + " on the queue", timeout, () -> {
            for (int p = 0; p <= 9; p++) {
                for (StreamMessage<String, String> e : entries("agent:tasks:" + p)) {
                    String json = e.getBody().get("message");
                    if (json != null && taskId.equals(parseMessage(json).getTaskId())) {
                        found[0] = json;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    // ---- Slack, Jira, Sentry -----------------------------------------------------------------------

    /** A Slack request signed now with the configured signing secret. */
    public Response slack(byte[] body, String contentType) {
        String ts = String.valueOf(java.time.Instant.now().getEpochSecond());
        return slack(body, contentType, ts, VendorSigner.slack(ts, body, SLACK_SECRET), Map.of());
    }

    public Response slack(byte[] body, String contentType, String timestamp, String signature,
                          Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)");
        if (timestamp != null) {
            headers.put("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("X-Slack-Signature", signature);
        }
        headers.putAll(extra);
        return send("POST", "/webhooks/slack", body, headers);
    }

    /** A Jira delivery signed with the configured secret; {@code identifier} may be null. */
    public Response jira(byte[] body, String identifier) {
        return jira(body, identifier, "sha256=" + VendorSigner.hex(body, JIRA_SECRET));
    }

    public Response jira(byte[] body, String identifier, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (identifier != null) {
            headers.put("X-Atlassian-Webhook-Identifier", identifier);
        }
        if (signature != null) {
            headers.put("X-Hub-Signature", signature);
        }
        return send("POST", "/webhooks/jira", body, headers);
    }

    /** A Sentry delivery signed with the configured client secret. */
    public Response sentry(String resource, byte[] body, String requestId) {
        return sentry(resource, body, requestId, VendorSigner.hex(body, SENTRY_SECRET));
    }

    public Response sentry(String resource, byte[] body, String requestId, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Sentry-Hook-Resource", resource);
        headers.put("Sentry-Hook-Timestamp", String.valueOf(java.time.Instant.now().getEpochSecond()));
        if (requestId != null) {
            headers.put("Request-ID", requestId);
        }
        if (signature != null) {
            headers.put("Sentry-Hook-Signature", signature);
        }
        return send("POST", "/webhooks/sentry", body, headers);
    }

    /** Every task message on the priority-0 stream. */
    protected List<TaskQueueMessage> queued() {
        return entries("agent:tasks:0").stream().map(e -> parseMessage(e.getBody().get("message")))
                .collect(Collectors.toList());
    }

    protected List<LoggedRequest> slackReactionRequests() {
        return githubService.findAll(postRequestedFor(urlPathMatching(SLACK_REACTIONS_PATH)));
    }

    protected List<LoggedRequest> sentryIssueRequests() {
        return githubService.findAll(getRequestedFor(urlPathMatching(SENTRY_ISSUE_PATH)));
    }

    // ---- fake github-service ---------------------------------------------------------------------

    protected List<LoggedRequest> reactionRequests() {
        return githubService.findAll(postRequestedFor(urlPathMatching(REACTIONS_PATH)));
    }

    protected List<LoggedRequest> reactionRequests(String idempotencyKey) {
        return reactionRequests().stream()
                .filter(r -> idempotencyKey.equals(r.getHeader("Idempotency-Key")))
                .collect(Collectors.toList());
    }

    // ---- time ------------------------------------------------------------------------------------

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
    }

    /** Asserts that {@code condition} stays true for {@code period} (nothing happens later). */
    public static void stays(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("No longer true: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
