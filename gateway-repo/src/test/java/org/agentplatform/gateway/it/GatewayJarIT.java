package org.agentplatform.gateway.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.agentplatform.gateway.support.GithubPayloads;
import org.agentplatform.gateway.support.Signer;
import org.agentplatform.gateway.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.agentplatform.gateway.support.GatewayTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar as it is deployed ({@code java -jar target/gateway-0.1.0.jar}), configured only by
 * environment variables, against an embedded PostgreSQL and Redis and a fake github-service: proves
 * the packaging (configuration files, generated code, migrations) and the env var names of README.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayJarIT {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "jar-secret";

    private Process gateway;
    private Path log;
    private int port;
    private WireMockServer githubService;
    private RedisClient redisClient;

    @BeforeAll
    void startJar() throws Exception {
        githubService = new WireMockServer(options().dynamicPort());
        githubService.start();
        githubService.stubFor(post(urlPathMatching("/api/v1/github/comments/.*/reactions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"success\":true,\"dry_run\":true,\"message\":\"dry run\"}")));
        int redisPort = TestInfra.redisPort();
        redisClient = RedisClient.create("redis://127.0.0.1:" + redisPort);

        Path jar = Path.of(System.getProperty("gateway.jar", "target/gateway-0.1.0.jar"));
        assertThat(jar).exists();
        log = Files.createTempFile("gateway-jar-it", ".log");
        // a port can still be taken between the check and the jar's bind: then the jar exits and gets another
        for (int attempt = 1; ; attempt++) {
            port = TestInfra.freePort();
            gateway = start(jar, redisPort);
            await("the jar answers /health/liveness or exits (log: " + log + ")", Duration.ofSeconds(180), () -> {
                try {
                    return !gateway.isAlive() || get("/health/liveness", null).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            if (gateway.isAlive()) {
                return;
            }
            String output = Files.readString(log);
            assertThat(attempt < 3 && output.contains("Address already in use"))
                    .as("the jar exited (exit %s) on attempt %s: %s", gateway.exitValue(), attempt, output).isTrue();
        }
    }

    private Process start(Path jar, int redisPort) throws java.io.IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("PORT", String.valueOf(port));
        env.put("GITHUB_WEBHOOK_SECRET", SECRET);
        env.put("SERVICE_TOKENS", "it:it-token");
        env.put("SERVICE_TOKEN", "gateway-it-token");
        env.put("GATEWAY_REACTION_READ_TIMEOUT", "15s"); // a loaded build box; 3 s is the production default
        env.put("GITHUB_SERVICE_URL", githubService.baseUrl());
        env.put("DATABASE_URL", TestInfra.postgres().getJdbcUrl("postgres", "postgres"));
        env.put("DATABASE_USER", "postgres");
        env.put("DATABASE_PASSWORD", "");
        env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("AGENT_MODEL", "jar-model");
        return pb.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                gateway.destroyForcibly().waitFor();
            }
        }
        if (githubService != null) {
            githubService.stop();
        }
        if (redisClient != null) {
            redisClient.shutdown();
        }
    }

    @Test
    void theJarTurnsASignedCommentIntoAQueuedTaskAndReacts() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);

        byte[] body = GithubPayloads.prComment("@agent from the jar");
        String deliveryId = UUID.randomUUID().toString();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "issue_comment")
                .header("X-GitHub-Delivery", deliveryId)
                .header("X-Hub-Signature-256", Signer.sign(body, SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Map<String, Object> ack = JSON.readValue(r.body(), Argument.mapOf(String.class, Object.class));
        assertThat(ack).containsEntry("outcome", "task_created");

        RedisCommands<String, String> redis = redisClient.connect().sync();
        await("the task on agent:tasks:0", Duration.ofSeconds(20), () -> redis.xlen("agent:tasks:0") >= 1);
        String message = redis.xrange("agent:tasks:0", io.lettuce.core.Range.create("-", "+")).stream()
                .map(e -> e.getBody().get("message")).filter(m -> m.contains((String) ack.get("task_id")))
                .findFirst().orElseThrow();
        assertThat(message).contains("\"model\":\"jar-model\"").contains("\"vendor\":\"github\"");

        await("the eyes reaction", Duration.ofSeconds(20), () -> !githubService.findAll(
                postRequestedFor(urlPathMatching("/api/v1/github/comments/.*/reactions"))).isEmpty());
        List<LoggedRequest> reactions = githubService.findAll(postRequestedFor(urlPathMatching(".*/reactions")));
        assertThat(reactions.get(0).getHeader("Authorization")).isEqualTo("Bearer gateway-it-token");
        assertThat(reactions.get(0).getHeader("Idempotency-Key")).isEqualTo("delivery-" + deliveryId + "-eyes");

        assertThat(get("/api/v1/tasks/" + ack.get("task_id"), null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/tasks/" + ack.get("task_id"), "it-token").statusCode()).isEqualTo(200);
        assertThat(Files.readString(log)).contains("correlation_id=" + ack.get("correlation_id"));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
