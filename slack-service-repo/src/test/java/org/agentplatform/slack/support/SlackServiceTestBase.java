package org.agentplatform.slack.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;
import org.agentplatform.slack.calls.OutboundCallRepository;
import org.agentplatform.slack.calls.OutboundCallRow;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * One embedded PostgreSQL and one WireMock ("Slack") per test class, wired into the service
 * through its ordinary configuration; requests go through the real HTTP stack with the JDK client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SlackServiceTestBase implements TestPropertyProvider {

    public static final String GATEWAY_TOKEN = "gw-test-token";
    public static final String AGENT_TOKEN = "agent-test-token";
    public static final String BOT_TOKEN = "xoxb-test-0000-bot-token";

    protected EmbeddedPostgres postgres;
    protected WireMockServer slack;
    /** The messages WireMock "Slack" created; listed once {@link #slackListsItsMessages()} stubs the listings. */
    protected final SlackMessageStore slackMessages = new SlackMessageStore();

    @Inject
    protected EmbeddedServer server;

    @Inject
    protected OutboundCallRepository callRepository;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Real mode (a bot token, WireMock as the Web API) unless a class says otherwise. */
    protected boolean withBotToken() {
        return true;
    }

    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        slack = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(slackMessages));
        slack.start();
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("datasources.default.username", "postgres");
        properties.put("datasources.default.password", "");
        properties.put("service.tokens", "gateway:" + GATEWAY_TOKEN + ",agent:" + AGENT_TOKEN);
        properties.put("slack.api-url", "http://127.0.0.1:" + slack.port() + "/api");
        properties.put("slack.bot-token", withBotToken() ? BOT_TOKEN : "");
        properties.put("slack.response-url-hosts", "hooks.slack.com,127.0.0.1");
        properties.put("slack.backoff-initial", "20ms");
        properties.put("slack.backoff-max", "100ms");
        properties.put("slack.retry-after-max", "5s");
        properties.put("slack.idempotency-wait", "5s");
        properties.put("slack.request-timeout", "5s");
        properties.putAll(extraProperties());
        return properties;
    }

    @BeforeEach
    void resetSlack() {
        slack.resetAll();
        slackMessages.clear();
    }

    /** {@code conversations.history} and {@code conversations.replies} list the messages Slack created. */
    protected void slackListsItsMessages() {
        slack.stubFor(WireMock.get(urlPathMatching("/api/conversations\\.(history|replies)"))
                .willReturn(aResponse().withTransformers(SlackMessageStore.NAME)));
    }

    @AfterAll
    void stopInfrastructure() throws IOException {
        if (slack != null) {
            slack.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The newest row of the call log. */
    protected OutboundCallRow lastCall() {
        return StreamSupport.stream(callRepository.findAll().spliterator(), false)
                .max(Comparator.comparing(OutboundCallRow::id))
                .orElseThrow();
    }

    // ---- calling the service ---------------------------------------------------------------

    protected HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null && !headers.containsKey("Content-Type")) {
            builder.header("Content-Type", "application/json");
        }
        headers.forEach(builder::header);
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** As the agent: with its service token. */
    protected HttpResponse<String> call(String method, String path, String body, String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + AGENT_TOKEN);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return send(method, path, body, headers);
    }

    protected static String resource(String name) {
        try (var in = SlackServiceTestBase.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String file(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
