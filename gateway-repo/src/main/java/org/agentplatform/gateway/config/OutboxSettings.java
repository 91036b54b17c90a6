package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code gateway.outbox.*}: the relay that pushes accepted tasks onto Redis. */
@ConfigurationProperties("gateway.outbox")
public class OutboxSettings {

    private Duration relayInterval = Duration.ofSeconds(1);
    private int batchSize = 100;

    /** GATEWAY_OUTBOX_INTERVAL (the {@code @Scheduled} relay reads the same property). */
    public Duration getRelayInterval() {
        return relayInterval;
    }

    public void setRelayInterval(Duration relayInterval) {
        this.relayInterval = relayInterval;
    }

    /** Rows pushed per transaction. */
    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
