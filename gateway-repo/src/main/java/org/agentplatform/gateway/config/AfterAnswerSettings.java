package org.agentplatform.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code gateway.after-answer.*}: the small, bounded executor for everything that follows a
 * committed task (XADD, reactions, Sentry enrichment, relay re-submits). Bounded so that a burst
 * of webhooks cannot spawn hundreds of threads that compete with the request path for CPU and
 * database connections; what does not fit is left to the outbox relay.
 */
@ConfigurationProperties("gateway.after-answer")
public class AfterAnswerSettings {

    private int threads = 2;
    private int vendorThreads = 4;
    private int queueSize = 1000;

    /** GATEWAY_AFTER_ANSWER_THREADS: the lane that pushes fresh tasks onto Redis (fast, local work). */
    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    /**
     * GATEWAY_AFTER_ANSWER_VENDOR_THREADS: the lane for calls to github-service, slack-service and
     * sentry-service (reactions, enrichment), kept apart so a backlog of reactions never delays a push.
     */
    public int getVendorThreads() {
        return vendorThreads;
    }

    public void setVendorThreads(int vendorThreads) {
        this.vendorThreads = vendorThreads;
    }

    /** GATEWAY_AFTER_ANSWER_QUEUE (per lane): hand-offs waiting beyond this are dropped (the relay does them). */
    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }
}
