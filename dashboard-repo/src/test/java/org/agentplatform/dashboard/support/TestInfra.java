package org.agentplatform.dashboard.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One embedded PostgreSQL, one embedded Redis and one WireMock (standing in for the agent, the
 * gateway and the four vendor services: their paths do not overlap) for the whole test JVM,
 * started on first use and stopped at exit.
 */
public final class TestInfra {
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    public static final String SERVICE_TOKEN = "dashboard-test-token";

    private static EmbeddedPostgres pg;
    private static RedisServer redis;
    private static int redisPort;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static WireMockServer wiremock;

    private TestInfra() {
    }

    public static synchronized void start() {
        if (pg != null) {
            return;
        }
        try {
            pg = EmbeddedPostgres.builder().start();
            redisPort = freePort();
            redis = new RedisServer(redisPort);
            redis.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        connection = client.connect();
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                wiremock.stop();
                connection.close();
                client.shutdown();
                redis.stop();
                pg.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
    }

    public static WireMockServer wiremock() {
        start();
        return wiremock;
    }

    public static RedisCommands<String, String> redis() {
        start();
        return connection.sync();
    }

    /** Empties Redis, the sessions table and WireMock's stubs and journal. */
    public static void reset() {
        start();
        redis().flushall();
        wiremock.resetAll();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF to_regclass('public.sessions') IS NOT NULL THEN TRUNCATE sessions; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Micronaut properties for a dashboard on the embedded servers, every upstream at WireMock. */
    public static Map<String, String> properties() {
        start();
        String upstream = "http://127.0.0.1:" + wiremock.port();
        Map<String, String> p = new HashMap<>();
        p.put("micronaut.server.port", "-1");   // application.yml says ${PORT:8085}: a running dashboard must not fail the tests
        p.put("datasources.default.url", pg.getJdbcUrl("postgres", "postgres"));
        p.put("datasources.default.username", "postgres");
        p.put("datasources.default.password", "");
        p.put("redis.url", "redis://127.0.0.1:" + redisPort);
        for (String service : new String[] {"agent", "gateway", "github-service", "jira-service", "slack-service", "sentry-service"}) {
            p.put("micronaut.http.services." + service + ".url", upstream);
        }
        p.put("dashboard.admin-password", ADMIN_PASSWORD);
        p.put("dashboard.service-token", SERVICE_TOKEN);
        p.put("dashboard.events.block-ms", "200");
        p.put("dashboard.health.cache-ms", "0");
        p.put("dashboard.health.timeout-ms", "1000");
        return p;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
