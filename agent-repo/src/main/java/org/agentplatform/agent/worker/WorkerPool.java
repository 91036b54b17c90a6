package org.agentplatform.agent.worker;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.agentplatform.agent.config.AgentConfig;
import org.agentplatform.agent.queue.QueueEntry;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.queue.TaskStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The queue consumer of this process: {@code AGENT_WORKERS} worker threads, each a consumer
 * {@code <hostname>-<pid>-<n>} of the group {@code agent-workers}, plus the heartbeat of held
 * entries and the retry scheduler.
 *
 * <p>A worker's loop, each turn: when a take-over check is due, XAUTOCLAIM an entry idle longer
 * than the visibility timeout (its worker died); then one script that does XREADGROUP COUNT 1
 * without blocking on agent:tasks:9 down to agent:tasks:0 and returns the first entry (one round
 * trip); if nothing came, XREADGROUP BLOCK on all of them. So higher priorities always go first,
 * and an idle worker costs one blocked connection.
 *
 * <p>Shutdown (SIGTERM): no new entries are taken; running tasks get the grace period to finish,
 * then they are stopped and handed back unacknowledged, to be redelivered.
 */
@Singleton
@Requires(property = "agent.consumer-enabled", notEquals = "false")
public class WorkerPool implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final AgentConfig config;
    private final TaskQueue queue;
    private final RedisClient redisClient;
    private final TaskProcessor processor;
    private final HeldEntries held;
    private final RetryScheduler retries;
    private final List<Thread> workers = new ArrayList<>();
    private final List<String> consumers = new ArrayList<>();
    private ScheduledExecutorService background;
    private volatile boolean stopping;

    public WorkerPool(AgentConfig config, TaskQueue queue, RedisClient redisClient, TaskProcessor processor,
                      HeldEntries held, RetryScheduler retries) {
        this.config = config;
        this.queue = queue;
        this.redisClient = redisClient;
        this.processor = processor;
        this.held = held;
        this.retries = retries;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        queue.ensureGroups();
        String prefix = hostname() + "-" + ProcessHandle.current().pid() + "-";
        background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "agent-queue-background");
            t.setDaemon(true);
            return t;
        });
        long beat = config.heartbeatInterval().toMillis();
        background.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::moveDueRetries, config.getRetryPollMs(), config.getRetryPollMs(),
                TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::pruneConsumers, 1, 10, TimeUnit.MINUTES);
        for (int n = 1; n <= Math.max(1, config.getWorkers()); n++) {
            String consumer = prefix + n;
            consumers.add(consumer);
            Thread t = new Thread(() -> loop(consumer), "agent-worker-" + n);
            t.setDaemon(false);
            workers.add(t);
            t.start();
        }
        LOG.info("{} worker(s) consuming {} as {}* (runner {}, visibility timeout {} s, max attempts {})",
                workers.size(), TaskStreams.GROUP, prefix, config.getRunner(), config.getVisibilityTimeoutSeconds(),
                config.getMaxAttempts());
    }

    public List<String> consumers() {
        return List.copyOf(consumers);
    }

    private void loop(String consumer) {
        long nextTakeOver = 0;
        StatefulRedisConnection<String, String> blocking = null;
        while (!stopping) {
            try {
                if (blocking == null || !blocking.isOpen()) {
                    blocking = redisClient.connect();
                }
                boolean takeOver = System.currentTimeMillis() >= nextTakeOver;
                if (takeOver) {
                    nextTakeOver = System.currentTimeMillis() + config.heartbeatInterval().toMillis();
                }
                List<QueueEntry> got = next(consumer, takeOver, blocking);
                for (QueueEntry entry : got) {
                    // entries read together are all ours now: process them even when stopping
                    // (or they wait for the visibility timeout); the grace period covers them
                    process(entry, consumer);
                }
            } catch (RedisCommandExecutionException e) {
                // a script's error says NOGROUP after a prefix of its own
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    LOG.warn("Consumer group missing (Redis restarted without data?): creating it again");
                    safely(queue::ensureGroups);
                } else {
                    LOG.warn("Worker {}: Redis error: {}", consumer, e.toString());
                    pause(1000);
                }
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warn("Worker {}: {}; retrying in 1 s", consumer, e.toString());
                    pause(1000);
                }
            }
        }
        if (blocking != null) {
            StatefulRedisConnection<String, String> c = blocking;
            safely(c::close);
        }
        LOG.info("Worker {} stopped", consumer);
    }

    private List<QueueEntry> next(String consumer, boolean takeOver, StatefulRedisConnection<String, String> blocking) {
        if (takeOver) {
            // once per heartbeat interval: stream by stream, an abandoned entry before the new ones of its priority
            Duration idle = config.visibilityTimeout();
            for (String stream : TaskStreams.BY_PRIORITY_DESC) {
                if (stopping) {
                    return List.of();
                }
                Optional<QueueEntry> abandoned = queue.claimAbandoned(consumer, stream, idle);
                if (abandoned.isPresent()) {
                    LOG.info("Took over {} (idle more than {} s: its worker is gone)", abandoned.get().ref(), idle.toSeconds());
                    return List.of(abandoned.get());
                }
                Optional<QueueEntry> fresh = queue.readNew(consumer, stream);
                if (fresh.isPresent()) {
                    return List.of(fresh.get());
                }
            }
        } else {
            // every other turn: the highest-priority new entry in one round trip
            Optional<QueueEntry> fresh = queue.readNext(consumer);
            if (fresh.isPresent()) {
                return List.of(fresh.get());
            }
        }
        if (stopping) {
            return List.of();
        }
        return queue.readBlocking(blocking.sync(), consumer, Math.max(1, config.getBlockMs()));
    }

    private void process(QueueEntry entry, String consumer) {
        Lease lease = held.hold(entry, consumer);
        try {
            processor.process(lease);
        } catch (RuntimeException e) {
            // DB or Redis trouble mid-way: the entry stays pending and is redelivered
            LOG.error("Processing {} failed; it will be redelivered after the visibility timeout", entry.ref(), e);
        } finally {
            held.release(lease);
        }
    }

    private void heartbeat() {
        safely(held::heartbeat);
    }

    private void moveDueRetries() {
        if (!stopping) {
            try {
                retries.enqueueDue();
            } catch (RuntimeException e) {
                LOG.warn("Retry scheduler: {}", e.toString());
            }
        }
    }

    private void pruneConsumers() {
        try {
            int n = queue.pruneConsumers(Duration.ofHours(1));
            if (n > 0) {
                LOG.info("Removed {} idle consumer name(s) without pending entries from {}", n, TaskStreams.GROUP);
            }
        } catch (RuntimeException e) {
            LOG.warn("Consumer pruning: {}", e.toString());
        }
    }

    /** SIGTERM: stop taking entries, give running tasks the grace period, then hand them back. */
    @PreDestroy
    public void shutdown() {
        stopping = true;
        if (workers.isEmpty()) {
            return;
        }
        long graceEnd = System.currentTimeMillis() + Duration.ofSeconds(Math.max(0, config.getShutdownGraceSeconds())).toMillis();
        LOG.info("Stopping the workers: {} task(s) in hand, {} s to finish", held.all().size(), config.getShutdownGraceSeconds());
        joinUntil(graceEnd);
        if (workers.stream().anyMatch(Thread::isAlive)) {
            LOG.warn("Grace period over: handing back {} unfinished task(s) for redelivery", held.all().size());
            held.handBackAll();
            joinUntil(System.currentTimeMillis() + 10_000);
        }
        if (background != null) {
            background.shutdownNow();
        }
        workers.clear();
        LOG.info("Workers stopped");
    }

    private void joinUntil(long end) {
        for (Thread t : workers) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("{}", e.toString());
        }
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                h = "agent";
            }
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
