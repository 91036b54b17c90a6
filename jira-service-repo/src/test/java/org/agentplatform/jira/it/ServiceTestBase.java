package org.agentplatform.jira.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One embedded PostgreSQL (Zonky) and one fake Jira (WireMock) per test class; requests go through
 * the real HTTP stack of the started service with a plain JDK client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceTestBase implements TestPropertyProvider {

    public static final String TOKEN = "agent-test-token";
    protected static final JsonMapper JSON = JsonMapper.createDefault();

    protected EmbeddedPostgres postgres;
    protected WireMockServer jira;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    protected EmbeddedServer server;

    /** Extra properties of the concrete test (credentials or not, retry timings, ...). */
    protected abstract Map<String, String> serviceProperties();

    @Override
    public Map<String, String> getProperties() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jira = new WireMockServer(options().dynamicPort());
        jira.start();
        Map<String, String> props = new HashMap<>();
        props.put("datasources.default.url", postgres.getJdbcUrl("postgres", "postgres"));
        props.put("datasources.default.username", "postgres");
        props.put("datasources.default.password", "");
        props.put("platform.service-tokens", "agent:" + TOKEN + ",gateway:gateway-test-token");
        props.put("jira.base-url", jira.baseUrl());
        props.put("jira.email", "");
        props.put("jira.api-token", "");
        props.put("jira.retry-base-delay", "10ms");
        props.put("jira.retry-max-delay", "5s");
        props.put("jira.connect-timeout", "2s");
        props.put("jira.read-timeout", "10s");
        props.put("idempotency.wait", "5s");
        props.putAll(serviceProperties());
        return props;
    }

    @AfterAll
    void stopInfrastructure() throws IOException {
        if (jira != null) {
            jira.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    // ------------------------------------------------------------------ HTTP helpers

    public record Answer(int status, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        public Map<String, Object> json() {
            try {
                return JSON.readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    protected Answer call(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        boolean auth = false;
        boolean contentType = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (!headers[i + 1].isEmpty()) {
                builder.header(headers[i], headers[i + 1]);
            }
            auth |= headers[i].equalsIgnoreCase("Authorization");
            contentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !contentType) {
            builder.header("Content-Type", "application/json");
        }
        if (!auth) {
            builder.header("Authorization", "Bearer " + TOKEN);
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected Answer apiGet(String path, String... headers) {
        return call("GET", path, null, headers);
    }

    protected Answer apiPost(String path, String body, String... headers) {
        return call("POST", path, body, headers);
    }

    protected Answer apiPut(String path, String body, String... headers) {
        return call("PUT", path, body, headers);
    }

    @SuppressWarnings("unchecked")
    protected List<Map<String, Object>> calls(String query) {
        Answer answer = apiGet("/api/v1/jira/calls" + query);
        if (answer.status() != 200) {
            throw new AssertionError("calls log answered " + answer.status() + ": " + answer.body());
        }
        return (List<Map<String, Object>>) answer.json().get("items");
    }

    protected static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource as text. */
    protected static String resource(String name) {
        try (var in = ServiceTestBase.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
