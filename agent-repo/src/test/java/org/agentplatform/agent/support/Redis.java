package org.agentplatform.agent.support;

import io.lettuce.core.StreamMessage;

import java.util.List;
import java.util.Map;

/** Redis shortcuts for assertions. */
public final class Redis {
    private Redis() {
    }

    /** XADD a message as the gateway does. */
    public static String enqueue(String json, int priority) {
        return TestInfra.redis().xadd("agent:tasks:" + Math.min(priority, 9), Map.of("message", json));
    }

    /** XADD and XREADGROUP by {@code consumer} atomically (MULTI): an entry a worker took and then died with. */
    public static String enqueueHeldBy(String consumer, String json, int priority) {
        String stream = "agent:tasks:" + Math.min(priority, 9);
        var redis = TestInfra.redis();
        redis.multi();
        redis.xadd(stream, Map.of("message", json));
        redis.xreadgroup(io.lettuce.core.Consumer.from("agent-workers", consumer), io.lettuce.core.XReadArgs.Builder.count(1),
                io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(stream));
        io.lettuce.core.TransactionResult r = redis.exec();
        return r.get(0);
    }

    /** Entries left in all priority streams (acknowledged ones are deleted). */
    public static long entriesLeft() {
        long n = 0;
        for (int p = 0; p <= 9; p++) {
            n += TestInfra.redis().xlen("agent:tasks:" + p);
        }
        return n;
    }

    public static long pending() {
        long n = 0;
        for (int p = 0; p <= 9; p++) {
            try {
                n += TestInfra.redis().xpending("agent:tasks:" + p, "agent-workers").getCount();
            } catch (RuntimeException noGroup) {
                // not created
            }
        }
        return n;
    }

    public static List<StreamMessage<String, String>> events() {
        return TestInfra.redis().xrange("agent:events", io.lettuce.core.Range.unbounded());
    }

    public static List<StreamMessage<String, String>> deadLetters() {
        return TestInfra.redis().xrange("agent:tasks:dead", io.lettuce.core.Range.unbounded());
    }
}
