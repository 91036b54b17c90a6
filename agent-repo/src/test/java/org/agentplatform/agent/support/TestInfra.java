package org.agentplatform.agent.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One embedded PostgreSQL and one embedded Redis for the whole test JVM (started on first use,
 * stopped at exit), shared by every test class; each test resets them.
 */
public final class TestInfra {
    private static EmbeddedPostgres pg;
    private static RedisServer redis;
    private static int redisPort;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

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
        client = RedisClient.create(redisUrl());
        connection = client.connect();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                connection.close();
                client.shutdown();
                redis.stop();
                pg.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
    }

    public static String jdbcUrl() {
        start();
        return pg.getJdbcUrl("postgres", "postgres");
    }

    public static DataSource dataSource() {
        start();
        return pg.getPostgresDatabase();
    }

    public static String redisUrl() {
        start();
        return "redis://127.0.0.1:" + redisPort;
    }

    public static RedisCommands<String, String> redis() {
        start();
        return connection.sync();
    }

    /** Empties Redis and the agent's tables (if migrated). */
    public static void reset() {
        redis().flushall();
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF to_regclass('public.runs') IS NOT NULL THEN "
                    + "TRUNCATE runs, run_status_history, run_log CASCADE; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Micronaut properties for a context on the embedded servers, with test-sized timings. */
    public static Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", jdbcUrl());
        p.put("datasources.default.username", "postgres");
        p.put("datasources.default.password", "");
        p.put("redis.url", redisUrl());
        p.put("micronaut.server.port", "-1");
        p.put("agent.visibility-timeout-seconds", "1");
        p.put("agent.block-ms", "200");
        p.put("agent.retry-backoff-ms", "50");
        p.put("agent.retry-backoff-max-ms", "200");
        p.put("agent.retry-poll-ms", "50");
        p.put("agent.answer-post-attempts", "2");
        p.put("agent.answer-post-backoff-ms", "20");
        p.put("agent.cancel-poll-ms", "50");
        p.put("agent.shutdown-grace-seconds", "1");
        p.put("agent.command-kill-grace-ms", "200");
        p.put("agent.service-tokens", "gateway:gw-token,dashboard:db-token");
        p.put("agent.service-token", "agent-token");
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
