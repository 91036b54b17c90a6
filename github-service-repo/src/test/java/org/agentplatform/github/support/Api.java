package org.agentplatform.github.support;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A raw HTTP client for the service under test: exact statuses, headers and bodies, nothing hidden. */
public final class Api {

    /** A response with its body parsed as JSON when it is JSON. */
    public record Response(int status, java.net.http.HttpHeaders headers, String body, Map<String, Object> json) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public Object get(String field) {
            return json.get(field);
        }

        public long getLong(String field) {
            return ((Number) json.get(field)).longValue();
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list(String field) {
            return (List<Map<String, Object>>) json.get(field);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final JsonMapper json;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    public Api(String base, JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    /** A header sent with every request (e.g. the service token). */
    public Api withHeader(String name, String value) {
        defaultHeaders.put(name, value);
        return this;
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Response patch(String path, String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        Map<String, String> all = new LinkedHashMap<>(defaultHeaders);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        all.forEach((name, value) -> {
            if (value != null) {
                builder.header(name, value);
            }
        });
        if (body != null && !all.containsKey("Content-Type")) {
            builder.header("Content-Type", "application/json");
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> parsed = Map.of();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && !response.body().isEmpty()) {
                parsed = json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
            }
            return new Response(response.statusCode(), response.headers(), response.body(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** JSON text of a map, for request bodies. */
    public String json(Map<String, ?> value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
