package org.agentplatform.agent.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis Streams protocol of conventions.md against a real (embedded) Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueProtocolTest {
    private static final Duration VISIBILITY = Duration.ofMillis(1500);
    private RedisClient client;
    private StatefulRedisConnection<String, String> conn;
    private TaskQueue queue;

    @BeforeAll
    void connect() {
        client = RedisClient.create(TestInfra.redisUrl());
        conn = client.connect();
        queue = new TaskQueue(conn);
    }

    @AfterAll
    void close() {
        conn.close();
        client.shutdown();
    }

    @BeforeEach
    void reset() {
        TestInfra.redis().flushall();
        queue.ensureGroups();
    }

    @Test
    void groupsAreCreatedOnAllTenStreamsAndCreatingAgainIsHarmless() {
        queue.ensureGroups();
        for (int p = 0; p <= 9; p++) {
            assertThat(TestInfra.redis().xinfoGroups("agent:tasks:" + p)).hasSize(1);
        }
    }

    @Test
    void anEntryTakenByAConsumerThatDiesIsRedeliveredAfterTheVisibilityTimeoutOnly() throws Exception {
        String ref = queue.enqueue("{\"task_id\":\"a\"}", 0);
        QueueEntry taken = queue.readNew("dead-worker", "agent:tasks:0").orElseThrow();
        assertThat(taken.ref()).isEqualTo(ref);
        // it "dies": no ack, no heartbeat

        assertThat(queue.readNew("other", "agent:tasks:0")).as("not delivered twice as new").isEmpty();
        assertThat(queue.claimAbandoned("other", "agent:tasks:0", VISIBILITY)).as("not yet idle long enough").isEmpty();

        Thread.sleep(VISIBILITY.toMillis() + 100);
        Optional<QueueEntry> again = queue.claimAbandoned("other", "agent:tasks:0", VISIBILITY);
        assertThat(again).isPresent();
        assertThat(again.get().id()).isEqualTo(taken.id());
        assertThat(again.get().message()).isEqualTo("{\"task_id\":\"a\"}");
        assertThat(queue.deliveryCount(again.get())).isEqualTo(2);
    }

    @Test
    void theHeartbeatKeepsALongRunningEntryFromBeingTakenOverAndNeverStealsItBack() throws Exception {
        queue.enqueue("{\"task_id\":\"long\"}", 3);
        QueueEntry held = queue.readNew("busy", "agent:tasks:3").orElseThrow();

        long end = System.currentTimeMillis() + 2 * VISIBILITY.toMillis();
        while (System.currentTimeMillis() < end) {
            assertThat(queue.heartbeat("busy", "agent:tasks:3", List.of(held.id()))).as("still held").isEmpty();
            Thread.sleep(VISIBILITY.toMillis() / 3);
            assertThat(queue.claimAbandoned("thief", "agent:tasks:3", VISIBILITY)).as("fresh entries are not taken").isEmpty();
        }

        // the holder stalls past the timeout: another consumer takes it over …
        Thread.sleep(VISIBILITY.toMillis() + 100);
        assertThat(queue.claimAbandoned("rescuer", "agent:tasks:3", VISIBILITY)).isPresent();
        // … and the stalled holder's next heartbeat reports it lost instead of stealing it back
        assertThat(queue.heartbeat("busy", "agent:tasks:3", List.of(held.id()))).containsExactly(held.id());
        assertThat(TestInfra.redis().xpending("agent:tasks:3", TaskStreams.GROUP, io.lettuce.core.Range.create(held.id(), held.id()),
                io.lettuce.core.Limit.from(1)).get(0).getConsumer()).isEqualTo("rescuer");
    }

    @Test
    void higherPrioritiesAreReadFirstAndPrioritiesAboveNineShareTheTopStream() {
        queue.enqueue("{\"p\":0}", 0);
        queue.enqueue("{\"p\":5}", 5);
        queue.enqueue("{\"p\":42}", 42);
        queue.enqueue("{\"p\":9}", 9);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String stream : TaskStreams.BY_PRIORITY_DESC) {
                Optional<QueueEntry> e = queue.readNew("w", stream);
                if (e.isPresent()) {
                    order.add(e.get().message());
                    queue.ack(e.get());
                    break;
                }
            }
        }
        assertThat(order).containsExactly("{\"p\":42}", "{\"p\":9}", "{\"p\":5}", "{\"p\":0}");
    }

    @Test
    void readNextTakesTheHighestPriorityEntryInOneCallForOneConsumerAndLeavesItPendingUntilAcked() {
        queue.enqueue("{\"p\":2}", 2);
        String first = queue.enqueue("{\"p\":7}", 7);
        queue.enqueue("{\"p\":7,\"n\":2}", 7);
        TestInfra.redis().scriptFlush();   // Redis forgot the script (restart): it is sent again

        QueueEntry e = queue.readNext("w1").orElseThrow();
        assertThat(e.ref()).isEqualTo(first);
        assertThat(e.message()).isEqualTo("{\"p\":7}");
        // delivered to w1 only, pending until acknowledged; nothing else was taken by the call
        assertThat(queue.deliveryCount(e)).isEqualTo(1);
        assertThat(TestInfra.redis().xpending("agent:tasks:7", TaskStreams.GROUP).getCount()).isEqualTo(1);
        assertThat(TestInfra.redis().xpending("agent:tasks:2", TaskStreams.GROUP).getCount()).isZero();

        assertThat(queue.readNext("w2").orElseThrow().message()).as("the next one, not w1's again")
                .isEqualTo("{\"p\":7,\"n\":2}");
        assertThat(queue.readNext("w2").orElseThrow().message()).isEqualTo("{\"p\":2}");
        assertThat(queue.readNext("w2")).isEmpty();

        queue.ack(e);
        assertThat(TestInfra.redis().xpending("agent:tasks:7", TaskStreams.GROUP).getCount()).isEqualTo(1);
    }

    @Test
    void blockingReadWakesUpForANewEntryAndReturnsHighestPriorityFirst() throws Exception {
        StatefulRedisConnection<String, String> blocking = client.connect();
        try {
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException ignored) {
                    return;
                }
                queue.enqueue("{\"late\":true}", 4);
            });
            producer.start();
            long t0 = System.nanoTime();
            List<QueueEntry> got = queue.readBlocking(blocking.sync(), "sleeper", 3000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(got).hasSize(1);
            assertThat(got.get(0).stream()).isEqualTo("agent:tasks:4");
            assertThat(ms).as("woke up on the XADD, not at the block timeout").isLessThan(2500);
            producer.join();
        } finally {
            blocking.close();
        }
    }

    @Test
    void ackDeletesTheEntrySoDepthIsLengthMinusPending() {
        queue.enqueue("{\"n\":1}", 1);
        queue.enqueue("{\"n\":2}", 1);
        queue.enqueue("{\"n\":3}", 2);
        QueueEntry one = queue.readNew("w", "agent:tasks:2").orElseThrow();

        TaskQueue.QueueStats s = queue.stats(Duration.ofMinutes(1));
        assertThat(s.depth()).isEqualTo(2);
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.activeConsumers()).isEqualTo(1);
        assertThat(queue.isAlive(one.ref())).isTrue();

        queue.ack(one);
        assertThat(queue.isAlive(one.ref())).isFalse();
        s = queue.stats(Duration.ofMinutes(1));
        assertThat(s.depth()).isEqualTo(2);
        assertThat(s.inFlight()).isZero();
        assertThat(queue.pendingCount()).isZero();
    }

    @Test
    void deadLetteringMovesTheMessageWithItsFieldsAndAcknowledgesTheEntry() {
        queue.enqueue("{\"task_id\":\"bad\"}", 0);
        QueueEntry e = queue.readNew("w", "agent:tasks:0").orElseThrow();
        Instant at = Instant.parse("2026-11-26T10:05:00Z");
        queue.deadLetter(e, e.message(), "runner failed 3 times: exit code 1", 3, at);

        assertThat(queue.isAlive(e.ref())).isFalse();
        assertThat(queue.pendingCount()).isZero();
        List<TaskQueue.DeadEntry> dead = queue.deadLetters(0, 10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).fields()).isEqualTo(Map.of("message", "{\"task_id\":\"bad\"}",
                "reason", "runner failed 3 times: exit code 1", "attempts", "3", "failed_at", "2026-11-26T10:05:00Z"));
        assertThat(queue.deadLetterCount()).isEqualTo(1);
    }

    @Test
    void idleConsumersWithoutPendingEntriesArePruned() throws Exception {
        queue.enqueue("{\"n\":1}", 0);
        queue.enqueue("{\"n\":2}", 0);
        queue.readNew("holder", "agent:tasks:0").orElseThrow();
        queue.ack(queue.readNew("idle-one", "agent:tasks:0").orElseThrow());
        Thread.sleep(300);
        assertThat(queue.pruneConsumers(Duration.ofMillis(100))).isEqualTo(1);
        assertThat(TestInfra.redis().xinfoConsumers("agent:tasks:0", TaskStreams.GROUP)).as("the holder stays").hasSize(1);
    }

    @Test
    void eventsAreCappedAtAboutTenThousand() {
        for (int i = 0; i < 10_250; i++) {
            queue.publishEvent("{\"i\":" + i + "}").toCompletableFuture().join();
        }
        assertThat(TestInfra.redis().xlen(TaskStreams.EVENTS)).isBetween(10_000L, 10_250L);
    }
}
