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

    /** Ports handed out by this JVM: never the same one twice, even after its listener stopped. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now for a listener started a moment later, below the kernel's ephemeral range
     * (32768+): between this check and the bind, an ephemeral port can be taken by any outgoing
     * connection (the gateway's own to PostgreSQL once took its HTTP port), a port below it only by
     * another listener.
     */
    public static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = random.nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another listener's: try the next
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
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
