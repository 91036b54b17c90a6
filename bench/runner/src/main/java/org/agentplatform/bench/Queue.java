package org.agentplatform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.HdrHistogram.Histogram;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Redis side, with Lettuce (the client the agent and the gateway use): tasks put on the
 * queue as the gateway puts them, the agent's TaskEvents read as they are published, and the raw
 * Redis hop the queue figures are compared with.
 */
final class Queue implements AutoCloseable {
    static final String EVENTS = "agent:events";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> conn;
    final RedisCommands<String, String> redis;
    /** "type:task_id" → System.nanoTime() when the bench read that TaskEvent. */
    final Map<String, Long> events = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread listener;

    Queue(String url) {
        client = RedisClient.create(url);
        conn = client.connect();
        redis = conn.sync();
    }

    /** Reads agent:events from now on, on its own connection, noting when each event arrives. */
    void listenToEvents() {
        List<StreamMessage<String, String>> last = redis.xrevrange(EVENTS, Range.create("-", "+"), Limit.from(1));
        String[] from = {last.isEmpty() ? "0-0" : last.get(0).getId()};
        StatefulRedisConnection<String, String> own = client.connect();
        listener = new Thread(() -> {
            RedisCommands<String, String> r = own.sync();
            while (running) {
                try {
                    List<StreamMessage<String, String>> batch = r.xread(XReadArgs.Builder.block(500).count(500),
                            XReadArgs.StreamOffset.from(EVENTS, from[0]));
                    long now = System.nanoTime();
                    for (StreamMessage<String, String> m : batch) {
                        from[0] = m.getId();
                        JsonNode e = Deliveries.JSON.readTree(m.getBody().get("event"));
                        events.putIfAbsent(e.path("type").asText() + ":" + e.path("task_id").asText(), now);
                    }
                } catch (Exception e) {
                    if (running) {
                        System.err.println("events listener: " + e);
                    }
                }
            }
            own.close();
        }, "agent-events");
        listener.setDaemon(true);
        listener.start();
    }

    Long event(String type, String taskId) {
        return events.get(type + ":" + taskId);
    }

    /** A TaskQueueMessage for the API source (no answer is posted), as the gateway's createTask makes it. */
    static String apiTask(String taskId, String input) {
        ObjectNode m = Deliveries.JSON.createObjectNode();
        m.put("task_id", taskId);
        m.put("correlation_id", "bench-" + taskId.substring(0, 8));
        m.put("session_id", "bench:" + taskId);
        m.put("user_id", "bench");
        m.put("input_message", input);
        m.put("agent_type", "coding");
        m.put("model", "default");
        m.put("priority", 0);
        m.put("created_at", OffsetDateTime.now().toString());
        m.putObject("source").put("vendor", "api");
        return m.toString();
    }

    /** XADD onto priority 0's stream, exactly the gateway's command. Returns System.nanoTime() before it. */
    long enqueue(String taskId, String message) {
        long t0 = System.nanoTime();
        redis.xadd("agent:tasks:0", Map.of("message", message));
        return t0;
    }

    /** Removes every task stream (the agent creates its group again when it starts). */
    void dropTaskStreams() {
        for (int p = 0; p <= 9; p++) {
            redis.del("agent:tasks:" + p);
        }
    }

    long taskStreamsLength() {
        long n = 0;
        for (int p = 0; p <= 9; p++) {
            n += redis.xlen("agent:tasks:" + p);
        }
        return n;
    }

    /**
     * The raw hop: XADD on one connection → a consumer blocked in XREADGROUP on another
     * connection has it (consumer group, like the agent's workers), n times, one at a time.
     */
    Histogram rawStreamHop(int n, String payload) throws Exception {
        String stream = "bench:raw:" + UUID.randomUUID();
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "$"), "g", XGroupCreateArgs.Builder.mkstream());
        Histogram h = new Histogram(3);
        SynchronousQueue<Long> got = new SynchronousQueue<>();
        StatefulRedisConnection<String, String> own = client.connect();
        Thread consumer = new Thread(() -> {
            RedisCommands<String, String> r = own.sync();
            for (int i = 0; i < n; i++) {
                List<StreamMessage<String, String>> batch = r.xreadgroup(Consumer.from("g", "c"),
                        XReadArgs.Builder.block(5000).count(1), XReadArgs.StreamOffset.lastConsumed(stream));
                long now = System.nanoTime();
                if (batch.isEmpty()) {
                    break;
                }
                r.xack(stream, "g", batch.get(0).getId());
                try {
                    got.put(now);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "raw-hop");
        consumer.setDaemon(true);
        consumer.start();
        Thread.sleep(100);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            redis.xadd(stream, Map.of("message", payload));
            Long t1 = got.poll(5, TimeUnit.SECONDS);
            if (t1 == null) {
                break;
            }
            h.recordValue(Math.max(1, (t1 - t0) / 1000));
            Thread.sleep(2); // the consumer is back in its blocking read, as an idle worker is
        }
        own.close();
        redis.del(stream);
        return h;
    }

    @Override
    public void close() {
        running = false;
        try {
            if (listener != null) {
                listener.join(2000);
            }
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        conn.close();
        client.shutdown();
    }
}
