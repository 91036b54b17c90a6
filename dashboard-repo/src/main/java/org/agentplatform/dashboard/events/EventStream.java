package org.agentplatform.dashboard.events;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.agentplatform.dashboard.messages.TaskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code agent:events} with {@code XREAD BLOCK} on its own Redis connection (one reader
 * per dashboard process, whatever the number of browsers) and fans every TaskEvent out to the
 * subscribed browsers. A browser that reconnects with the last id it saw gets what it missed
 * from {@code XRANGE}, or a refresh frame when those events are no longer kept (the stream is
 * capped) or too many to replay.
 */
@Singleton
public class EventStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private final RedisClient client;
    private final String redisUrl;
    private final String stream;
    private final long blockMs;
    private final int maxReplay;
    private final boolean enabled;
    private final EventFrames frames;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile StatefulRedisConnection<String, String> shared;
    private volatile boolean running;
    private Thread reader;

    public EventStream(@Value("${redis.url}") String redisUrl,
                       @Value("${dashboard.events.stream:agent:events}") String stream,
                       @Value("${dashboard.events.block-ms:1000}") long blockMs,
                       @Value("${dashboard.events.max-replay:1000}") int maxReplay,
                       @Value("${dashboard.events.enabled:true}") boolean enabled,
                       EventFrames frames) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(Duration.ofMillis(blockMs + 5000));
        this.client = RedisClient.create(uri);
        this.redisUrl = redisUrl;
        this.stream = stream;
        this.blockMs = blockMs;
        this.maxReplay = maxReplay;
        this.enabled = enabled;
        this.frames = frames;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (enabled) {
            start();
        }
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        reader = new Thread(this::readLoop, "agent-events-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A handle to stop receiving. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Registers a browser and, when it passes the last id it saw, replays what it missed first.
     * Blocking (Redis round trips): not for an event-loop thread.
     */
    public Subscription subscribe(Subscriber.Sink sink, @Nullable String lastEventId) {
        Subscriber sub = new Subscriber(sink, lastEventId);
        subscribers.add(sub);
        if (lastEventId != null) {
            try {
                replay(sub, lastEventId);
            } catch (RuntimeException e) {
                LOG.warn("replay after {} failed: {}", lastEventId, e.toString());
                sub.refresh(frames.refresh("the missed events could not be read; reload"));
            }
            sub.replayDone();
        }
        return () -> subscribers.remove(sub);
    }

    private void replay(Subscriber sub, String lastId) {
        RedisCommands<String, String> redis = shared().sync();
        List<StreamMessage<String, String>> oldest = redis.xrange(stream, Range.create("-", "+"), Limit.from(1));
        List<StreamMessage<String, String>> newest = redis.xrevrange(stream, Range.create("-", "+"), Limit.from(1));
        if (oldest.isEmpty() || StreamIds.compare(oldest.get(0).getId(), lastId) > 0) {
            // what came between lastId and the oldest kept event may have been trimmed away
            sub.refresh(frames.refresh("events after " + lastId + " are no longer kept"));
            return;
        }
        if (StreamIds.compare(lastId, newest.get(0).getId()) > 0) {
            sub.refresh(frames.refresh("event " + lastId + " is unknown here"));
            return;
        }
        // inclusive start: the entry lastId itself is skipped by the subscriber
        List<StreamMessage<String, String>> missed = redis.xrange(stream, Range.create(lastId, "+"), Limit.from(maxReplay + 2));
        if (missed.size() > maxReplay + 1) {
            sub.refresh(frames.refresh("more than " + maxReplay + " events missed"));
            return;
        }
        for (StreamMessage<String, String> m : missed) {
            frame(m).ifPresent(f -> sub.replay(m.getId(), f));
        }
    }

    private void readLoop() {
        StatefulRedisConnection<String, String> conn = null;
        String last = null;
        boolean failing = false;
        while (running) {
            try {
                if (conn == null) {
                    conn = client.connect();
                    String top = newestId(conn.sync());
                    // first start: from now on; after a reconnect: keep going unless the stream was reset
                    if (last == null || StreamIds.compare(top, last) < 0) {
                        last = top;
                    }
                }
                List<StreamMessage<String, String>> batch = conn.sync().xread(
                        XReadArgs.Builder.block(blockMs).count(100), XReadArgs.StreamOffset.from(stream, last));
                if (failing) {
                    LOG.info("Reading {} again", stream);
                    failing = false;
                }
                for (StreamMessage<String, String> m : batch) {
                    last = m.getId();
                    dispatch(m);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    LOG.warn("Cannot read {} from Redis ({}); retrying every second", stream, e.toString());
                    failing = true;
                }
                closeQuietly(conn);
                conn = null;
                sleep(1000);
            }
        }
        closeQuietly(conn);
    }

    private void dispatch(StreamMessage<String, String> m) {
        Optional<String> frame = frame(m);
        if (frame.isEmpty()) {
            return;
        }
        for (Subscriber sub : subscribers) {
            if (!sub.isOpen()) {
                subscribers.remove(sub);
                continue;
            }
            sub.live(m.getId(), frame.get());
        }
    }

    private Optional<String> frame(StreamMessage<String, String> m) {
        String json = m.getBody().get("event");
        Optional<TaskEvent> event = json == null ? Optional.empty() : frames.parse(json);
        if (event.isEmpty()) {
            LOG.warn("Skipping {} entry {}: no valid TaskEvent in field 'event'", stream, m.getId());
            return Optional.empty();
        }
        return Optional.of(frames.taskEvent(m.getId(), event.get()));
    }

    private String newestId(RedisCommands<String, String> redis) {
        List<StreamMessage<String, String>> top = redis.xrevrange(stream, Range.create("-", "+"), Limit.from(1));
        return top.isEmpty() ? "0-0" : top.get(0).getId();
    }

    /** null when Redis answers PING, else why not. */
    public String ping() {
        try {
            String pong = shared().sync().ping();
            return "PONG".equals(pong) ? null : "PING answered " + pong;
        } catch (RuntimeException e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The Redis URL without credentials, for the health panel. */
    public String redisDisplayUrl() {
        return redisUrl.replaceAll("//[^@/]*@", "//");
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private StatefulRedisConnection<String, String> shared() {
        StatefulRedisConnection<String, String> c = shared;
        if (c == null || !c.isOpen()) {
            synchronized (this) {
                c = shared;
                if (c == null || !c.isOpen()) {
                    closeQuietly(c);
                    c = client.connect();
                    shared = c;
                }
            }
        }
        return c;
    }

    @Override
    @PreDestroy
    public void close() {
        running = false;
        Thread r = reader;
        if (r != null) {
            try {
                r.join(blockMs + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(shared);
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static void closeQuietly(StatefulRedisConnection<String, String> c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
