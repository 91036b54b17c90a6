package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's fuzzing from the contracts, on the real jars of all seven services: for every operation of
 * every service's OpenAPI contract (from the contracts artifact), requests that break one rule of the
 * contract each ({@link ContractFuzzer}), sent with the right credential otherwise (service token, the
 * vendor's signature on webhooks, the dashboard's session and CSRF token), then boundary-valid ones.
 *
 * <p>Asserted per service: no 5xx (nor a dropped connection) for any request; every 4xx is
 * {@code application/problem+json} with its {@code status} and a {@code title} or {@code detail}; and an
 * invalid request writes nothing anywhere ({@link WriteProbe}: no table of any service's database changes,
 * the fake vendor API receives nothing, no task or event reaches a Redis stream).
 *
 * <p>Some breaks are forgiven by the services' framework on purpose or by default (a JSON scalar coerced into
 * another, content after the JSON value, no Content-Type, any Content-Type on a signed webhook): they are sent and
 * checked like the others, but what they write is reported ("lenient") instead of failing the test.
 *
 * <p>Deterministic: {@code -Dchaos.fuzz.seed} (printed) fixes every request. {@code -Dchaos.fuzz.perOperation}
 * (default 50, about 3,200 requests and 2½ minutes for the seven services) is the number of invalid requests per
 * operation; every kind of break is tried at least once (up to twice that number), valid requests are a third of it
 * (at least 6, every boundary kind up to twice that). Each service's requests and answers that failed are written
 * to {@code target/chaos-results/fuzz-<service>.txt} with a curl line to reproduce them.
 */
@Tag("chaos")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContractFuzzTest {
    private static final long SEED = Long.getLong("chaos.fuzz.seed", 20_261_126L);
    private static final int PER_OPERATION = Integer.getInteger("chaos.fuzz.perOperation", 50);
    private static final int VALID_PER_OPERATION = Math.max(6, PER_OPERATION / 3);
    private static final List<Platform.Service> ALL = List.of(Platform.GITHUB, Platform.JIRA, Platform.SLACK,
            Platform.SENTRY, Platform.AGENT, Platform.GATEWAY, Platform.DASHBOARD);
    /** Header parameters only the sender can compute: the vendors' signatures and the dashboard's CSRF token. */
    private static final Set<String> COMPUTED = Set.of("X-Hub-Signature-256", "X-Slack-Signature", "X-Hub-Signature",
            "Sentry-Hook-Signature", "X-CSRF-Token");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Platform platform;
    private WriteProbe probe;
    private String session;
    private String csrf;
    private final Random ids = new Random(SEED);

    @BeforeAll
    void start() throws Exception {
        System.out.println("[fuzz] seed " + SEED + " (-Dchaos.fuzz.seed), " + PER_OPERATION
                + " invalid requests per operation (-Dchaos.fuzz.perOperation), " + VALID_PER_OPERATION + " valid");
        platform = new Platform("contract-fuzz", ALL, Map.of());
        new FakeVendors(platform.fakeVendor);
        new FakeGithub(platform.fakeVendor);
        probe = new WriteProbe(platform, ALL, platform.redisPort());
        login();
    }

    @AfterAll
    void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    // Vendor services first, the gateway last: its valid requests start tasks that keep the agent busy.

    @Test
    @Order(1)
    void githubService() throws Exception {
        fuzz(Platform.GITHUB);
    }

    @Test
    @Order(2)
    void jiraService() throws Exception {
        fuzz(Platform.JIRA);
    }

    @Test
    @Order(3)
    void slackService() throws Exception {
        fuzz(Platform.SLACK);
    }

    @Test
    @Order(4)
    void sentryService() throws Exception {
        fuzz(Platform.SENTRY);
    }

    @Test
    @Order(5)
    void agent() throws Exception {
        fuzz(Platform.AGENT);
    }

    @Test
    @Order(6)
    void dashboard() throws Exception {
        fuzz(Platform.DASHBOARD);
    }

    @Test
    @Order(7)
    void gateway() throws Exception {
        fuzz(Platform.GATEWAY);
    }

    // ------------------------------------------------------------------------------------ the run

    private final class Tally {
        long tried;
        long invalidTried;
        long serverErrors;
        long badProblems;
        long writes;
        long invalidAccepted;
        long lenientWrites;
        long validRefused;
        final List<String> failures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
    }

    private void fuzz(Platform.Service service) throws Exception {
        long started = System.nanoTime();
        ContractFuzzer fuzzer = new ContractFuzzer(service.name(), SEED ^ service.name().hashCode(), COMPUTED, seeds(service));
        Tally t = new Tally();
        JqwikSession.start();
        try {
            WriteProbe.Snapshot before = probe.quiet(Duration.ofMillis(500), Duration.ofSeconds(30));
            for (ContractFuzzer.Op op : fuzzer.operations()) {
                for (ContractFuzzer.Request r : fuzzer.invalid(op, PER_OPERATION, 2 * PER_OPERATION)) {
                    HttpResponse<String> response = send(service, r, t);
                    WriteProbe.Snapshot after = probe.snapshot();
                    List<String> changes = after.changesSince(before);
                    boolean taken = response != null && response.statusCode() < 300;
                    if (!changes.isEmpty() || taken) {
                        // what it started goes on in the background (task → agent → vendor): let it finish here,
                        // so that it is counted for this request and not for the next ones
                        after = probe.quiet(Duration.ofMillis(300), Duration.ofSeconds(20));
                        changes = after.changesSince(before);
                    }
                    if (!changes.isEmpty()) {
                        String line = describe(service, r, response) + "\n      wrote: " + changes;
                        if (r.lenient()) {
                            t.lenientWrites++;
                            t.notes.add("[lenient: taken and written] " + line);
                        } else {
                            t.writes++;
                            t.failures.add("[write] " + line);
                        }
                    }
                    before = after;
                }
            }
            for (ContractFuzzer.Op op : fuzzer.operations()) {
                if (op.id().equals("logout")) {
                    continue; // a valid logout ends the session the other requests use
                }
                for (ContractFuzzer.Request r : fuzzer.valid(op, VALID_PER_OPERATION, 2 * VALID_PER_OPERATION)) {
                    send(service, r, t);
                }
            }
        } finally {
            JqwikSession.finish();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        String checked = fuzzer.operations().size() + " operations, " + t.invalidTried + " invalid + "
                + (t.tried - t.invalidTried) + " boundary-valid requests in " + seconds + " s (seed " + SEED + "): no 5xx, "
                + "every 4xx problem+json with status and title/detail, invalid ones wrote nothing (rows and row versions of "
                + "every table of the 7 databases, fake vendor requests, Redis streams); " + t.invalidAccepted
                + " invalid requests answered 2xx; " + t.lenientWrites + " lenient breaks (a number, boolean or one-element "
                + "array for a string, non-ASCII digits, content after the JSON value, no or any Content-Type on a signed webhook) "
                + "were taken and wrote; " + t.validRefused
                + " valid ones answered 4xx (unknown ids, vendor 404s)";
        ChaosReport.fuzz(service.name(), t.tried, t.serverErrors, t.badProblems, t.writes, checked);
        writeDetails(service, t, checked);

        String sample = String.join("\n", t.failures.subList(0, Math.min(8, t.failures.size())));
        assertThat(t.tried).as("requests tried on " + service.name()).isPositive();
        assertThat(t.serverErrors + t.badProblems + t.writes)
                .as(service.name() + ": " + t.serverErrors + " 5xx, " + t.badProblems + " 4xx that are not problem+json, "
                        + t.writes + " invalid requests that wrote (all in target/chaos-results/fuzz-" + service.name()
                        + ".txt); the first ones:\n" + sample + "\n")
                .isZero();
    }

    private HttpResponse<String> send(Platform.Service service, ContractFuzzer.Request r, Tally t) throws Exception {
        t.tried++;
        if (r.invalid()) {
            t.invalidTried++;
        }
        HttpRequest request = build(service, r);
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            t.serverErrors++;
            t.failures.add("[no answer] " + describe(service, r, null) + "\n      " + e);
            return null;
        }
        int status = response.statusCode();
        if (status >= 500) {
            t.serverErrors++;
            t.failures.add("[5xx] " + describe(service, r, response));
        } else if (status >= 400) {
            String fault = problemFault(response);
            if (fault != null) {
                t.badProblems++;
                t.failures.add("[not a problem: " + fault + "] " + describe(service, r, response));
            }
            if (!r.invalid()) {
                t.validRefused++;
                if (t.notes.size() < 400) {
                    t.notes.add("[valid, answered " + status + "] " + describe(service, r, response));
                }
            }
        } else if (r.invalid()) {
            t.invalidAccepted++;
            if (t.notes.size() < 400) {
                t.notes.add("[invalid, answered " + status + "] " + describe(service, r, response));
            }
        }
        if (service == Platform.DASHBOARD && "logout".equals(r.op().id()) && status < 300) {
            login(); // an invalid logout that was taken: the finding is noted above, the session is needed further on
        }
        return response;
    }

    private HttpRequest build(Platform.Service service, ContractFuzzer.Request r) {
        byte[] body = r.body();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.service(service).url() + r.path()))
                .timeout(Duration.ofSeconds(30))
                .method(r.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (r.contentType() != null && body != null) {
            b.header("Content-Type", r.contentType());
        }
        r.headers().forEach(b::header);
        if (service == Platform.DASHBOARD) {
            if (r.auth() != ContractFuzzer.Auth.NONE) {
                b.header("Cookie", "SESSION=" + (r.auth() == ContractFuzzer.Auth.VALID ? session : Platform.randomToken()));
            }
            fill(r, b, "X-CSRF-Token", () -> csrf);
        } else if (r.path().startsWith("/webhooks/")) {
            byte[] signed = body == null ? new byte[0] : body;
            fill(r, b, "X-Hub-Signature-256", () -> "sha256=" + Webhooks.hmacSha256Hex(platform.webhookSecret, signed));
            fill(r, b, "X-Hub-Signature", () -> "sha256=" + Webhooks.hmacSha256Hex(platform.jiraWebhookSecret, signed));
            fill(r, b, "Sentry-Hook-Signature", () -> Webhooks.hmacSha256Hex(platform.sentryClientSecret, signed));
            fill(r, b, "X-Slack-Signature", () -> {
                byte[] base = ("v0:" + r.headers().getOrDefault("X-Slack-Request-Timestamp", "") + ":").getBytes(StandardCharsets.UTF_8);
                byte[] all = new byte[base.length + signed.length];
                System.arraycopy(base, 0, all, 0, base.length);
                System.arraycopy(signed, 0, all, base.length, signed.length);
                return "v0=" + Webhooks.hmacSha256Hex(platform.slackSigningSecret, all);
            });
        } else if (r.auth() != ContractFuzzer.Auth.NONE) {
            b.header("Authorization", "Bearer " + (r.auth() == ContractFuzzer.Auth.VALID ? tokenFor(service) : Platform.randomToken()));
        }
        return b.build();
    }

    /** Sets a computed header the operation declares, unless the request sets it or leaves it out. */
    private static void fill(ContractFuzzer.Request r, HttpRequest.Builder b, String name, java.util.function.Supplier<String> value) {
        boolean declared = r.op().params().stream().anyMatch(p -> p.name().equals(name));
        if (declared && !r.headers().containsKey(name) && !r.omit().contains(name)) {
            b.header(name, value.get());
        }
    }

    /** Who calls whom: the agent writes on the vendor services and creates tasks; the gateway reads the agent. */
    private String tokenFor(Platform.Service service) {
        return service == Platform.AGENT ? platform.tokenOf(Platform.GATEWAY) : platform.tokenOf(Platform.AGENT);
    }

    /** Null when the 4xx is a problem+json with its status and a title or detail; otherwise what is wrong. */
    private static String problemFault(HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return "Content-Type '" + type + "'";
        }
        try {
            JsonNode p = Webhooks.JSON.readTree(r.body());
            if (p == null || !p.isObject()) {
                return "body is not a JSON object";
            }
            if (!p.path("status").isInt() || p.path("status").asInt() != r.statusCode()) {
                return "status " + p.path("status") + " instead of " + r.statusCode();
            }
            if (p.path("title").asText("").isBlank() && p.path("detail").asText("").isBlank()) {
                return "neither title nor detail";
            }
            return null;
        } catch (IOException e) {
            return "body is not JSON";
        }
    }

    // ------------------------------------------------------------------------- credentials, seeds

    private void login() throws Exception {
        String body = Webhooks.JSON.createObjectNode().put("username", "admin")
                .put("password", platform.dashboardAdminPassword).toString();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(platform.service(Platform.DASHBOARD).url()
                        + "/api/v1/dashboard/session")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("dashboard login: " + r.body()).isEqualTo(200);
        csrf = Webhooks.JSON.readTree(r.body()).path("csrf_token").asText();
        session = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION="))
                .map(c -> c.substring("SESSION=".length(), c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst().orElseThrow();
    }

    /** The vendors' own sample deliveries (fresh ids each time), shifted for the gateway's valid webhooks. */
    private Map<String, List<ContractFuzzer.Seed>> seeds(Platform.Service service) {
        if (service != Platform.GATEWAY) {
            return Map.of();
        }
        Map<String, List<ContractFuzzer.Seed>> seeds = new LinkedHashMap<>();
        seeds.put("receiveGithubWebhook", List.of(
                new ContractFuzzer.Seed("application/json", Map.of("X-GitHub-Event", "issue_comment"),
                        () -> unchecked(() -> Webhooks.githubIssueComment("@agent fuzz " + ids.nextInt(1_000_000),
                                1_000_000_000L + ids.nextInt(1_000_000_000)))),
                new ContractFuzzer.Seed("application/json", Map.of("X-GitHub-Event", "pull_request_review_comment"),
                        () -> resource("github/pull_request_review_comment.created.json"))));
        seeds.put("receiveSlackWebhook", List.of(
                new ContractFuzzer.Seed("application/json", Map.of(),
                        () -> unchecked(() -> Webhooks.slackAppMention("EvFUZZ" + ids.nextInt(1_000_000_000),
                                "1700000000." + (100_000 + ids.nextInt(800_000)), "fuzz"))),
                new ContractFuzzer.Seed("application/x-www-form-urlencoded", Map.of(),
                        () -> Webhooks.slackSlashCommand("fuzz " + ids.nextInt(1_000_000), "fuzz." + ids.nextInt(1_000_000),
                                platform.fakeVendor.baseUrl() + FakeVendors.SLACK_RESPONSE_URL))));
        seeds.put("receiveJiraWebhook", List.of(new ContractFuzzer.Seed("application/json; charset=utf-8", Map.of(),
                () -> resource("jira/jira_issue_updated.labelled.json"))));
        seeds.put("receiveSentryWebhook", List.of(new ContractFuzzer.Seed("application/json", Map.of("Sentry-Hook-Resource", "issue"),
                () -> resource("sentry/issue.created.json"))));
        return seeds;
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static byte[] unchecked(IoSupplier<byte[]> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        return FakeVendors.resource(name).getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------ reporting

    /** One line a developer can act on: the request (as curl), what was wrong with it, and the answer. */
    private String describe(Platform.Service service, ContractFuzzer.Request r, HttpResponse<String> response) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method()).append(' ').append(r.path()).append("  [").append(r.op().id()).append(": ")
                .append(r.invalid() ? "INVALID, " : "valid, ").append(r.what()).append(']');
        if (r.auth() != ContractFuzzer.Auth.VALID) {
            sb.append(" credential ").append(r.auth());
        }
        if (!r.headers().isEmpty()) {
            sb.append(" headers ").append(r.headers());
        }
        if (!r.omit().isEmpty()) {
            sb.append(" without ").append(r.omit());
        }
        if (r.body() != null) {
            sb.append("\n      body (").append(r.contentType()).append(", ").append(r.body().length).append(" bytes): ")
                    .append(ContractFuzzer.show(new String(r.body(), StandardCharsets.UTF_8)));
        }
        if (response != null) {
            sb.append("\n      → ").append(response.statusCode()).append(' ')
                    .append(response.headers().firstValue("Content-Type").orElse("(no Content-Type)")).append(' ')
                    .append(ContractFuzzer.show(response.body()));
        }
        sb.append("\n      reproduce: curl -i -X ").append(r.method()).append(" '").append(platform.service(service).url())
                .append(r.path().replace("'", "'\\''")).append('\'');
        if (r.contentType() != null && r.body() != null) {
            sb.append(" -H 'Content-Type: ").append(r.contentType()).append('\'');
        }
        r.headers().forEach((k, v) -> sb.append(" -H '").append(k).append(": ").append(v.replace("'", "'\\''")).append('\''));
        if (r.auth() == ContractFuzzer.Auth.VALID) {
            sb.append(service == Platform.DASHBOARD ? " -b \"SESSION=$SESSION\" -H \"X-CSRF-Token: $CSRF\""
                    : r.path().startsWith("/webhooks/") ? " -H \"<signature of the body>\"" : " -H \"Authorization: Bearer $TOKEN\"");
        }
        if (r.body() != null && r.body().length <= 2000) {
            sb.append(" --data-binary '").append(new String(r.body(), StandardCharsets.UTF_8).replace("'", "'\\''")).append('\'');
        } else if (r.body() != null) {
            sb.append(" --data-binary @body.json");
        }
        return sb.toString();
    }

    private void writeDetails(Platform.Service service, Tally t, String checked) throws IOException {
        Path file = ChaosReport.FILE.getParent().resolve("fuzz-" + service.name() + ".txt");
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder("# " + service.name() + ": " + t.tried + " requests, " + t.serverErrors + " 5xx, "
                + t.badProblems + " bad problems, " + t.writes + " writes\n# " + checked + "\n\n## Failures\n");
        t.failures.forEach(f -> sb.append(f).append("\n\n"));
        sb.append("\n## Notes (not failures): invalid requests taken, valid ones refused\n");
        t.notes.forEach(n -> sb.append(n).append("\n\n"));
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
