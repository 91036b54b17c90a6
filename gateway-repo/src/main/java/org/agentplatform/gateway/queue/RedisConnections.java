package org.agentplatform.gateway.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce connection to {@code REDIS_URL}, opened on first use and re-opened on demand after
 * Redis went away. Commands fail fast while Redis is down (no auto-reconnect, no command buffering):
 * a task that could not be enqueued stays in the outbox and the relay tries again, so Lettuce must
 * never replay a buffered XADD behind our back (that would enqueue it twice).
 */
@Singleton
public class RedisConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisClient client;
    private final String safeUrl;
    private StatefulRedisConnection<String, String> connection;

    public RedisConnections(@Value("${gateway.redis.url:`redis://127.0.0.1:6379`}") String url,
                            @Value("${gateway.redis.command-timeout:2s}") Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        this.safeUrl = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        this.client = RedisClient.create(uri);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
    }

    /** Synchronous commands on the shared connection; connects (again) if needed, else throws. */
    public synchronized RedisCommands<String, String> sync() {
        if (connection != null && !connection.isOpen()) {
            connection.closeAsync();   // lost (Redis went away): release it once, connect anew below
            connection = null;
        }
        if (connection == null) {
            connection = client.connect();
            LOG.info("Connected to Redis at {}", safeUrl);
        }
        return connection.sync();
    }

    /** Where Redis is, without credentials (for logs and /health). */
    public String describe() {
        return safeUrl;
    }

    @Override
    @PreDestroy
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
