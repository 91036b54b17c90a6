package org.agentplatform.sentry.support;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
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

/** Shared bits of the integration tests: properties, fixtures, a plain HTTP client, JSON. */
public final class TestSupport {

    public static final String GATEWAY_TOKEN = "test-gateway-token";
    public static final String AGENT_TOKEN = "test-agent-token";
    public static final String SENTRY_TOKEN = "test-sentry-token-do-not-log";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private TestSupport() {
    }

    /** Datasource on a fresh database, service tokens, fast retries. */
    public static Map<String, String> baseProperties(String dbPrefix) {
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", TestDatabase.newDatabase(dbPrefix));
        p.put("datasources.default.username", "postgres");
        p.put("datasources.default.password", "");
        p.put("service.tokens", "gateway:" + GATEWAY_TOKEN + ",agent:" + AGENT_TOKEN);
        p.put("sentry.max-attempts", "3");
        p.put("sentry.retry-base-delay", "5ms");
        p.put("sentry.retry-max-delay", "2s");
        p.put("sentry.request-timeout", "3s");
        p.put("sentry.idempotency-wait", "5s");
        return p;
    }

    public static String fixture(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/sentry/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request; {@code headers} alternate name, value. */
    public static HttpResponse<String> send(String method, String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> json(JsonMapper mapper, String body) {
        try {
            return mapper.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + body, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
