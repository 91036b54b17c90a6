package org.agentplatform.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * One embedded PostgreSQL and one embedded Redis for the whole test JVM, started by the tests
 * themselves on first use (no Docker, nothing installed) and stopped when the JVM ends. Each
 * {@code @MicronautTest} class gets its own application context on top of them and starts every
 * test from empty tables and an empty Redis ({@link GatewayTestSupport#reset()}).
 */
public final class TestInfra {

    private static EmbeddedPostgres postgres;
    private static RedisServer redis;
    private static int redisPort;

    private TestInfra() {
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // JVM is ending
                }
            }));
        }
        return postgres;
    }

    public static synchronized int redisPort() {
        if (redis == null) {
            redisPort = freePort();
            redis = startRedis(redisPort);
            RedisServer started = redis;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(started)));
        }
        return redisPort;
    }

    public static RedisServer startRedis(int port) {
        try {
            RedisServer server = new RedisServer(port);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void stopQuietly(RedisServer server) {
        try {
            server.stop();
        } catch (IOException ignored) {
            // already gone
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Properties that point a gateway context at the shared database and Redis. */
    public static Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", postgres().getJdbcUrl("postgres", "postgres"));
        p.put("datasources.default.username", "postgres");
        p.put("datasources.default.password", "");
        p.put("gateway.redis.url", "redis://127.0.0.1:" + redisPort());
        return p;
    }
}
