package org.agentplatform.agent.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task queue protocol of docs/conventions.md on Redis Streams: one stream per priority, the
 * consumer group {@code agent-workers}, at-least-once with XACK, heartbeats (XCLAIM JUSTID to
 * oneself), take-over of idle entries (XAUTOCLAIM), dead letters and the event stream.
 *
 * <p>An entry is acknowledged and deleted in one step (XACK + XDEL in a script), so a priority
 * stream holds exactly the entries that are waiting or in flight: its length minus the group's
 * pending count is its depth, and "is this entry still alive?" is one XRANGE.
 *
 * <p>The scripts run by EVALSHA (their body is sent only when Redis does not know them yet, e.g.
 * after a restart).
 */
@Singleton
public class TaskQueue {
    private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);

    /**
     * KEYS the priority streams, highest first; ARGV group, consumer. XREADGROUP COUNT 1 (not
     * blocking) on each in turn until one has a new entry: the highest-priority entry in one round
     * trip, delivered to this consumer only and pending until acknowledged, as a plain XREADGROUP.
     * Returns {stream, id, {field, value, ...}}, or nil when every stream is empty.
     */
    private static final Script READ_NEXT_SCRIPT = new Script("""
            for i = 1, #KEYS do
              local got = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[i], '>')
              if got then
                local entry = got[1][2][1]
                return {KEYS[i], entry[1], entry[2]}
              end
            end
            return false
            """);
    /** KEYS[1] stream; ARGV group, id. */
    private static final Script ACK_SCRIPT = new Script("""
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('XDEL', KEYS[1], ARGV[2])
            """);
    /** KEYS[1] stream, KEYS[2] dead-letter stream; ARGV group, id, message, reason, attempts, failed_at. */
    private static final Script DEAD_LETTER_SCRIPT = new Script("""
            local dead = redis.call('XADD', KEYS[2], '*', 'message', ARGV[3], 'reason', ARGV[4],
                                    'attempts', ARGV[5], 'failed_at', ARGV[6])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return dead
            """);
    /**
     * KEYS[1] stream; ARGV group, consumer, ids... Refreshes (XCLAIM JUSTID, idle 0) each id still
     * pending for this consumer; returns the ids it no longer holds (acked, or taken over after a
     * stall), without ever stealing one back.
     */
    private static final Script HEARTBEAT_SCRIPT = new Script("""
            local lost = {}
            for i = 3, #ARGV do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
              if #p == 1 and p[1][2] == ARGV[2] then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
              else
                table.insert(lost, ARGV[i])
              end
            end
            return lost
            """);

    private final StatefulRedisConnection<String, String> connection;
    /** XAUTOCLAIM cursor per stream, so a long head of fresh entries does not hide idle ones behind it. */
    private final Map<String, String> autoclaimCursors = new ConcurrentHashMap<>();

    public TaskQueue(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    private RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** Creates the consumer group on every priority stream (MKSTREAM; from 0, so nothing enqueued earlier is missed). */
    public void ensureGroups() {
        for (String stream : TaskStreams.BY_PRIORITY_DESC) {
            try {
                redis().xgroupCreate(StreamOffset.from(stream, "0-0"), TaskStreams.GROUP, XGroupCreateArgs.Builder.mkstream());
                LOG.info("Created consumer group {} on {}", TaskStreams.GROUP, stream);
            } catch (RedisBusyException exists) {
                // BUSYGROUP: already there
            }
        }
    }

    /**
     * The highest-priority new entry for this consumer, without blocking, in one round trip (see
     * {@link #READ_NEXT_SCRIPT}); empty when all priority streams are.
     */
    public Optional<QueueEntry> readNext(String consumer) {
        List<Object> got = READ_NEXT_SCRIPT.run(redis(), ScriptOutputType.MULTI,
                TaskStreams.BY_PRIORITY_DESC.toArray(String[]::new), TaskStreams.GROUP, consumer);
        if (got == null || got.size() < 3) {
            return Optional.empty();
        }
        Map<String, String> body = new HashMap<>();
        if (got.get(2) instanceof List<?> fields) {
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                body.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
            }
        }
        return Optional.of(new QueueEntry(String.valueOf(got.get(0)), String.valueOf(got.get(1)), body));
    }

    /** A new entry of one stream for this consumer, without blocking. */
    public Optional<QueueEntry> readNew(String consumer, String stream) {
        List<StreamMessage<String, String>> got = redis().xreadgroup(Consumer.from(TaskStreams.GROUP, consumer),
                XReadArgs.Builder.count(1), StreamOffset.lastConsumed(stream));
        return got == null || got.isEmpty() ? Optional.empty() : Optional.of(toEntry(got.get(0)));
    }

    /**
     * Waits up to {@code blockMs} for a new entry on any stream (one per stream at most), on the
     * worker's own connection. Returns them highest priority first.
     */
    @SuppressWarnings("unchecked")
    public List<QueueEntry> readBlocking(RedisCommands<String, String> blockingConnection, String consumer, long blockMs) {
        StreamOffset<String>[] offsets = TaskStreams.BY_PRIORITY_DESC.stream().map(StreamOffset::lastConsumed)
                .toArray(StreamOffset[]::new);
        List<StreamMessage<String, String>> got = blockingConnection.xreadgroup(Consumer.from(TaskStreams.GROUP, consumer),
                XReadArgs.Builder.block(blockMs).count(1), offsets);
        List<QueueEntry> entries = new ArrayList<>();
        if (got != null) {
            got.forEach(m -> entries.add(toEntry(m)));
        }
        entries.sort((a, b) -> TaskStreams.BY_PRIORITY_DESC.indexOf(a.stream()) - TaskStreams.BY_PRIORITY_DESC.indexOf(b.stream()));
        return entries;
    }

    /** Takes over one entry of {@code stream} that nobody has touched for {@code minIdle} (its holder died). */
    public Optional<QueueEntry> claimAbandoned(String consumer, String stream, Duration minIdle) {
        String cursor = autoclaimCursors.getOrDefault(stream, "0-0");
        ClaimedMessages<String, String> claimed = redis().xautoclaim(stream,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(TaskStreams.GROUP, consumer), minIdle, cursor).count(1));
        String next = claimed.getId();
        autoclaimCursors.put(stream, next == null ? "0-0" : next);
        for (StreamMessage<String, String> m : claimed.getMessages()) {
            return Optional.of(toEntry(m));
        }
        return Optional.empty();
    }

    /** XACK + XDEL: the entry is done. */
    public void ack(QueueEntry entry) {
        ack(entry.stream(), entry.id());
    }

    public void ack(String stream, String id) {
        ACK_SCRIPT.run(redis(), ScriptOutputType.INTEGER, new String[]{stream}, TaskStreams.GROUP, id);
    }

    /** XADD agent:tasks:dead (message, reason, attempts, failed_at) + XACK + XDEL, atomically. */
    public String deadLetter(QueueEntry entry, String message, String reason, int attempts, Instant failedAt) {
        return DEAD_LETTER_SCRIPT.run(redis(), ScriptOutputType.VALUE, new String[]{entry.stream(), TaskStreams.DEAD},
                TaskStreams.GROUP, entry.id(), message == null ? "" : message, reason, Integer.toString(attempts),
                failedAt.toString());
    }

    /** XADD a task message to its priority stream; returns the new entry's ref. */
    public String enqueue(String messageJson, long priority) {
        String stream = TaskStreams.stream(priority);
        String id = redis().xadd(stream, Map.of(QueueEntry.MESSAGE_FIELD, messageJson));
        return QueueEntry.ref(stream, id);
    }

    /** True while the entry is waiting or in flight (acknowledged entries are deleted). */
    public boolean isAlive(String ref) {
        if (ref == null || ref.indexOf('/') < 0) {
            return false;
        }
        String id = QueueEntry.idOf(ref);
        return !redis().xrange(QueueEntry.streamOf(ref), Range.create(id, id)).isEmpty();
    }

    /** Refreshes the entries this consumer holds on one stream; returns those it lost. */
    public List<String> heartbeat(String consumer, String stream, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String[] args = new String[ids.size() + 2];
        args[0] = TaskStreams.GROUP;
        args[1] = consumer;
        for (int i = 0; i < ids.size(); i++) {
            args[i + 2] = ids.get(i);
        }
        List<Object> lost = HEARTBEAT_SCRIPT.run(redis(), ScriptOutputType.MULTI, new String[]{stream}, args);
        List<String> out = new ArrayList<>();
        if (lost != null) {
            lost.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    /** How many times the group has delivered this entry (XPENDING), 0 when it is not pending. */
    public long deliveryCount(QueueEntry entry) {
        List<PendingMessage> p = redis().xpending(entry.stream(), TaskStreams.GROUP,
                Range.create(entry.id(), entry.id()), Limit.from(1));
        return p.isEmpty() ? 0 : p.get(0).getRedeliveryCount();
    }

    /** XADD agent:events MAXLEN ~ 10000, field event. */
    /**
     * Appends a task event without waiting for Redis: events are for watchers, and a run must not stall
     * while Redis is away. Lettuce keeps the command while it reconnects and sends it when Redis is back.
     */
    public CompletionStage<String> publishEvent(String eventJson) {
        return connection.async().xadd(TaskStreams.EVENTS,
                XAddArgs.Builder.maxlen(TaskStreams.EVENTS_MAXLEN).approximateTrimming(), Map.of("event", eventJson));
    }

    // ------------------------------------------------------------------ statistics

    /** Queue figures from XINFO GROUPS / XINFO CONSUMERS / XLEN. */
    public record QueueStats(long depth, long inFlight, long deadLetters, int activeConsumers) {}

    public QueueStats stats(Duration activeWithin) {
        long depth = 0;
        long inFlight = 0;
        Set<String> active = new HashSet<>();
        for (String stream : TaskStreams.BY_PRIORITY_DESC) {
            Map<String, Object> group = group(stream);
            if (group == null) {
                depth += redis().xlen(stream);
                continue;
            }
            long pending = asLong(group.get("pending"), 0);
            Object lag = group.get("lag");   // Redis >= 7: entries not yet delivered to the group
            long waiting = lag instanceof Long l ? l : Math.max(0, redis().xlen(stream) - pending);
            depth += waiting;
            inFlight += pending;
            for (Map<String, Object> c : infoList(redis().xinfoConsumers(stream, TaskStreams.GROUP))) {
                if (asLong(c.get("idle"), Long.MAX_VALUE) <= activeWithin.toMillis()) {
                    active.add(String.valueOf(c.get("name")));
                }
            }
        }
        return new QueueStats(depth, inFlight, redis().xlen(TaskStreams.DEAD), active.size());
    }

    /**
     * Removes consumers that hold nothing and have not been seen for {@code idleFor} (every agent
     * restart leaves its old {@code <host>-<pid>-<n>} names behind). Returns how many.
     */
    public int pruneConsumers(Duration idleFor) {
        int removed = 0;
        for (String stream : TaskStreams.BY_PRIORITY_DESC) {
            try {
                for (Map<String, Object> c : infoList(redis().xinfoConsumers(stream, TaskStreams.GROUP))) {
                    if (asLong(c.get("pending"), 1) == 0 && asLong(c.get("idle"), 0) > idleFor.toMillis()) {
                        redis().xgroupDelconsumer(stream, Consumer.from(TaskStreams.GROUP, String.valueOf(c.get("name"))));
                        removed++;
                    }
                }
            } catch (io.lettuce.core.RedisCommandExecutionException noGroup) {
                // nothing to prune
            }
        }
        return removed;
    }

    /** Entries pending for the group across all priority streams (XPENDING summary). */
    public long pendingCount() {
        long n = 0;
        for (String stream : TaskStreams.BY_PRIORITY_DESC) {
            try {
                PendingMessages p = redis().xpending(stream, TaskStreams.GROUP);
                n += p.getCount();
            } catch (io.lettuce.core.RedisCommandExecutionException noGroup) {
                // NOGROUP before the first start: nothing pending
            }
        }
        return n;
    }

    private Map<String, Object> group(String stream) {
        try {
            for (Map<String, Object> g : infoList(redis().xinfoGroups(stream))) {
                if (TaskStreams.GROUP.equals(String.valueOf(g.get("name")))) {
                    return g;
                }
            }
        } catch (io.lettuce.core.RedisCommandExecutionException noStream) {
            // ERR no such key
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> infoList(List<Object> raw) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (Object item : raw) {
            if (item instanceof List<?> kv) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i + 1 < kv.size(); i += 2) {
                    m.put(String.valueOf(kv.get(i)), kv.get(i + 1));
                }
                out.add(m);
            } else if (item instanceof Map<?, ?> map) {
                out.add((Map<String, Object>) map);
            }
        }
        return out;
    }

    private static long asLong(Object o, long dflt) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o != null) {
            try {
                return Long.parseLong(o.toString());
            } catch (NumberFormatException ignored) {
                return dflt;
            }
        }
        return dflt;
    }

    // ------------------------------------------------------------------ dead letters

    /** A dead-letter entry: its id in agent:tasks:dead and its fields. */
    public record DeadEntry(String id, Map<String, String> fields) {}

    /** Newest first, one page. */
    public List<DeadEntry> deadLetters(int page, int size) {
        long want = (long) (page + 1) * size;
        List<StreamMessage<String, String>> got = redis().xrevrange(TaskStreams.DEAD, Range.unbounded(),
                Limit.from(Math.min(want, Integer.MAX_VALUE)));
        List<DeadEntry> out = new ArrayList<>();
        for (int i = page * size; i < got.size(); i++) {
            out.add(new DeadEntry(got.get(i).getId(), got.get(i).getBody()));
        }
        return out;
    }

    public long deadLetterCount() {
        return redis().xlen(TaskStreams.DEAD);
    }

    /** Every dead-letter entry, oldest first, in chunks (the list is small by nature). */
    public List<DeadEntry> allDeadLetters() {
        List<DeadEntry> out = new ArrayList<>();
        String from = "-";
        while (true) {
            List<StreamMessage<String, String>> got = redis().xrange(TaskStreams.DEAD,
                    "-".equals(from) ? Range.unbounded() : Range.create(from, "+"), Limit.from(500));
            boolean any = false;
            for (StreamMessage<String, String> m : got) {
                if (m.getId().equals(from)) {
                    continue;
                }
                any = true;
                out.add(new DeadEntry(m.getId(), m.getBody()));
                from = m.getId();
            }
            if (!any || got.size() < 500) {
                return out;
            }
        }
    }

    public void deleteDeadLetters(List<String> ids) {
        if (!ids.isEmpty()) {
            redis().xdel(TaskStreams.DEAD, ids.toArray(String[]::new));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static QueueEntry toEntry(StreamMessage<String, String> m) {
        Map<String, String> body = m.getBody() == null ? Map.of() : new HashMap<>(m.getBody());
        return new QueueEntry(m.getStream(), m.getId(), body);
    }

    /** A Lua script, run by EVALSHA; EVAL (which also loads it) when Redis does not know it (NOSCRIPT). */
    private record Script(String body, String sha) {
        Script(String body) {
            this(body, sha1Hex(body));
        }

        <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
            try {
                return redis.evalsha(sha, type, keys, args);
            } catch (RedisNoScriptException unknown) {
                return redis.eval(body, type, keys, args);
            }
        }

        private static String sha1Hex(String s) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** PING, for /health. */
    public String ping() {
        return redis().ping();
    }
}
