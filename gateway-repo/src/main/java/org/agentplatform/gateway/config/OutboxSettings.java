package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code gateway.outbox.*}: the relay that pushes accepted tasks onto Redis. */
@ConfigurationProperties("gateway.outbox")
public class OutboxSettings {

    private Duration relayInterval = Duration.ofSeconds(1);
    private int batchSize = 100;
    private Duration relayGrace = Duration.ofSeconds(2);

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

    /**
     * The relay leaves an outbox row younger than this (and never tried) to the immediate push after
     * the answer, so the two do not push the same task twice; older rows, and rows whose push
     * failed, it takes at once.
     */
    public Duration getRelayGrace() {
        return relayGrace;
    }

    public void setRelayGrace(Duration relayGrace) {
        this.relayGrace = relayGrace;
    }
}
