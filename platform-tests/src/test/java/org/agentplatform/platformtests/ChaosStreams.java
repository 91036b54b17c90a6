package org.agentplatform.platformtests;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of every chaos fault scenario: a stream of signed deliveries with faults at fixed seconds,
 * then a settle, a count recorded through {@link ChaosReport}, and the assertion that nothing was lost,
 * refused or answered twice.
 */
final class ChaosStreams {

    interface Action {
        void run() throws Exception;
    }

    /** An action at a second of the stream. */
    record Fault(long atSeconds, Action action) {}

    static Fault at(long seconds, Action action) {
        return new Fault(seconds, action);
    }

    private final Platform platform;
    private final Supplier<String> gatewayUrl;
    /** The agent whose API reads runs: one that is never stopped by a fault. */
    private final ServiceProcess reader;

    ChaosStreams(Platform platform, Supplier<String> gatewayUrl, ServiceProcess reader) {
        this.platform = platform;
        this.gatewayUrl = gatewayUrl;
        this.reader = reader;
    }

    static void restart(ServiceProcess p) throws Exception {
        p.start();
        p.awaitHealthy(Duration.ofSeconds(90));
    }

    /** Runs the stream with the faults at their times; a fault that throws fails the scenario. */
    TaskStream stream(String scenario, TaskStream.Deliveries deliveries, Fault... faults) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<ScheduledFuture<?>> done = new ArrayList<>();
        for (Fault f : faults) {
            done.add(scheduler.schedule(() -> {
                f.action().run();
                return null;
            }, f.atSeconds(), TimeUnit.SECONDS));
        }
        try {
            TaskStream s = TaskStream.run(scenario, TaskStream.RATE, TaskStream.LENGTH, gatewayUrl, deliveries);
            for (ScheduledFuture<?> d : done) {
                d.get(120, TimeUnit.SECONDS);
            }
            return s;
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Waits until every accepted task is answered (or the settle time is over), then counts and records. */
    StreamOutcome settleAndCount(TaskStream s, String checked) throws Exception {
        StreamOutcome c = StreamOutcome.settle(s, platform, reader);
        ChaosReport.scenario(s.scenario, c.counts(),
                checked + "; " + s.sent + " sent, " + s.rejected.size() + " not accepted, " + s.refused.get() + " refused");
        return c;
    }

    void assertNothingLost(TaskStream s, StreamOutcome c) throws Exception {
        assertThat(s.accepted).as("accepted deliveries").isNotEmpty();
        assertThat(s.rejected).as("deliveries the gateway did not accept").isEmpty();
        assertThat(s.refused.get()).as("deliveries refused").isZero();
        assertThat(s.dropped).as("deliveries dropped in flight").isEmpty();
        List<String> states = new ArrayList<>();
        for (String id : c.lostIds().subList(0, Math.min(5, c.lostIds().size()))) {
            JsonNode r = run(id);
            states.add(id + "=" + r.path("status").asText() + "/" + r.path("answer_state").asText() + " " + r.path("error").asText());
        }
        assertThat(c.lost()).as("tasks accepted but never answered, e.g. %s", states).isZero();
        assertThat(c.duplicated()).as("answers posted more than once").isZero();
        assertThat(c.finished()).as("finished runs").isEqualTo(c.accepted());
    }

    JsonNode run(String taskId) throws Exception {
        return StreamOutcome.run(platform, reader, taskId);
    }
}
