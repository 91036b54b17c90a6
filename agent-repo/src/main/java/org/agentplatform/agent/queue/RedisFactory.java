package org.agentplatform.agent.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/** One Lettuce client; a shared multiplexed connection for non-blocking commands. */
@Factory
public class RedisFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    RedisClient redisClient(@Value("${redis.url}") String url) {
        RedisClient client = RedisClient.create(url);
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        client.setDefaultTimeout(Duration.ofSeconds(10));   // > the XREADGROUP BLOCK time
        return client;
    }

    /** Thread-safe; never used for blocking commands (each worker opens its own for XREADGROUP BLOCK). */
    @Singleton
    @Bean(preDestroy = "close")
    StatefulRedisConnection<String, String> sharedConnection(RedisClient client) {
        return client.connect();
    }
}
