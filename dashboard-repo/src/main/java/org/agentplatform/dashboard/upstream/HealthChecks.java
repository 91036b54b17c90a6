package org.agentplatform.dashboard.upstream;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.agentplatform.dashboard.events.EventStream;
import org.agentplatform.dashboard.model.ComponentHealth;
import org.agentplatform.dashboard.model.HealthReport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Checks every component's {@code GET /health} in parallel (and the Redis the events come from),
 * with a timeout; the report is cached briefly so many open dashboards do not multiply the checks.
 */
@Singleton
public class HealthChecks {
    static final List<String> SERVICES = List.of("gateway", "agent", "github-service", "jira-service", "slack-service", "sentry-service");

    private final Environment environment;
    private final JsonMapper json;
    private final EventStream events;
    private final Duration timeout;
    private final long cacheMs;
    private final HttpClient http;
    private volatile HealthReport cached;
    private volatile long cachedAt;

    public HealthChecks(Environment environment, JsonMapper json, EventStream events,
                        @Value("${dashboard.health.timeout-ms:2000}") long timeoutMs,
                        @Value("${dashboard.health.cache-ms:3000}") long cacheMs) {
        this.environment = environment;
        this.json = json;
        this.events = events;
        this.timeout = Duration.ofMillis(timeoutMs);
        this.cacheMs = cacheMs;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public HealthReport report() {
        HealthReport r = cached;
        if (r != null && System.currentTimeMillis() - cachedAt < cacheMs) {
            return r;
        }
        List<CompletableFuture<ComponentHealth>> checks = new ArrayList<>();
        for (String service : SERVICES) {
            String base = environment.getProperty("micronaut.http.services." + service + ".url", String.class).orElse("");
            checks.add(CompletableFuture.supplyAsync(() -> check(service, base)));
        }
        checks.add(CompletableFuture.supplyAsync(this::redis));
        List<ComponentHealth> out = new ArrayList<>();
        for (CompletableFuture<ComponentHealth> c : checks) {
            out.add(c.join());
        }
        r = new HealthReport(out);
        cached = r;
        cachedAt = System.currentTimeMillis();
        return r;
    }

    ComponentHealth check(String name, String base) {
        String url = base.replaceAll("/+$", "");
        long start = System.nanoTime();
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            Map<String, Object> body = parse(res.body());
            String status = String.valueOf(body.getOrDefault("status", ""));
            boolean up = res.statusCode() == 200 && (status.isEmpty() || "UP".equalsIgnoreCase(status));
            ComponentHealth h = new ComponentHealth(name, url, up ? ComponentHealth.StatusEnum.UP : ComponentHealth.StatusEnum.DOWN, now());
            h.setLatencyMs(ms);
            if (body.get("version") != null) {
                h.setVersion(String.valueOf(body.get("version")));
            }
            if (!up) {
                h.setDetail("GET /health answered " + res.statusCode() + (status.isEmpty() ? "" : " " + status));
            }
            return h;
        } catch (java.net.http.HttpTimeoutException e) {
            return down(name, url, "no answer within " + timeout.toMillis() + " ms");
        } catch (java.io.IOException | IllegalArgumentException e) {
            return down(name, url, "unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(name, url, "interrupted");
        }
    }

    private ComponentHealth redis() {
        long start = System.nanoTime();
        String problem = events.ping();
        ComponentHealth h = new ComponentHealth("redis", events.redisDisplayUrl(),
                problem == null ? ComponentHealth.StatusEnum.UP : ComponentHealth.StatusEnum.DOWN, now());
        h.setLatencyMs((System.nanoTime() - start) / 1_000_000);
        h.setDetail(problem);
        return h;
    }

    private Map<String, Object> parse(String body) {
        try {
            return json.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static ComponentHealth down(String name, String url, String detail) {
        ComponentHealth h = new ComponentHealth(name, url, ComponentHealth.StatusEnum.DOWN, now());
        h.setDetail(detail);
        return h;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
