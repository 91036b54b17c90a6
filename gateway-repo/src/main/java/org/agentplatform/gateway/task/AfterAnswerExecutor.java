package org.agentplatform.gateway.task;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.agentplatform.gateway.config.AfterAnswerSettings;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dedicated executors of the after-answer work, two small bounded lanes: {@link #push} for
 * putting fresh tasks onto Redis ({@code gateway.after-answer.threads}) and {@link #vendorCall} for
 * calls to the vendor services — reactions, Sentry enrichment ({@code gateway.after-answer.vendor-threads}),
 * so a backlog of slow reactions never delays a push. Each lane queues at most
 * {@code gateway.after-answer.queue-size}; beyond that the hand-off throws
 * {@link RejectedExecutionException} at once (it never blocks the caller, which may be a request
 * thread). Every piece of work handed here is also found again by the outbox relay from the task
 * row, so a dropped hand-off is only late, never lost.
 */
@Singleton
public class AfterAnswerExecutor {

    private final ThreadPoolExecutor pushLane;
    private final ThreadPoolExecutor vendorLane;
    private final int queueSize;

    public AfterAnswerExecutor(AfterAnswerSettings settings) {
        this.queueSize = Math.max(1, settings.getQueueSize());
        this.pushLane = lane("after-answer-", settings.getThreads());
        this.vendorLane = lane("after-answer-vendor-", settings.getVendorThreads());
    }

    private ThreadPoolExecutor lane(String prefix, int threads) {
        int n = Math.max(1, threads);
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize), r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Local work (XADD, one UPDATE). */
    public void push(Runnable work) {
        pushLane.execute(work);
    }

    /** A call to a vendor service. */
    public void vendorCall(Runnable work) {
        vendorLane.execute(work);
    }

    /**
     * True when the vendor lane's queue is at least half full: the relay then leaves its retries
     * (reactions, enrichments) for a later tick so that fresh tasks keep their place.
     */
    public boolean vendorLaneBusy() {
        return vendorLane.getQueue().size() * 2 >= queueSize;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        pushLane.shutdown();
        vendorLane.shutdown();
        pushLane.awaitTermination(5, TimeUnit.SECONDS);
        vendorLane.awaitTermination(5, TimeUnit.SECONDS);
    }
}
