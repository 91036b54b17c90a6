package org.agentplatform.agent.worker;

import io.micronaut.context.ApplicationContext;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.run.StatusHistoryRepository;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.Redis;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM = the application context closing: a task that finishes within the grace period is
 * completed and acknowledged; one that does not is stopped and handed back unacknowledged, and
 * the next agent process finishes it.
 */
class GracefulShutdownTest {

    private static ApplicationContext agent(int graceSeconds, String command) {
        Map<String, Object> p = new HashMap<>(TestInfra.properties());
        p.put("agent.runner", "command");
        p.put("agent.workers", "1");
        p.put("agent.shutdown-grace-seconds", Integer.toString(graceSeconds));
        p.put("agent.command", command);
        return ApplicationContext.run(p);
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
    }

    @Test
    void aTaskFinishingWithinTheGracePeriodIsCompletedBeforeTheAgentStops() throws Exception {
        ApplicationContext ctx = agent(15, "sleep 1; echo finished");
        RunRepository runs = ctx.getBean(RunRepository.class);
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "short", 0), 0);
        Await.until("running", () -> runs.findById(id).map(r -> "running".equals(r.status())).orElse(false));

        ctx.close();

        assertThat(statusOf(id)).isEqualTo("succeeded");
        assertThat(Redis.entriesLeft()).isZero();
        assertThat(Redis.pending()).isZero();
    }

    @Test
    void aTaskStillRunningAfterTheGracePeriodIsHandedBackAndFinishedByTheNextAgent() throws Exception {
        Path mark = Files.createTempDirectory("agent-mark-").resolve("started");
        // the first run leaves a mark and sleeps (it is handed back); the next finds the mark and finishes
        String command = "if [ -f '" + mark + "' ]; then echo \"done $AGENT_INPUT\"; else touch '" + mark + "'; sleep 30; fi";
        ApplicationContext first = agent(1, command);
        RunRepository runs = first.getBean(RunRepository.class);
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "long", 0), 0);
        Await.until("running", () -> runs.findById(id).map(r -> "running".equals(r.status())).orElse(false));

        long t0 = System.nanoTime();
        first.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("grace period, then hand back").isLessThan(Duration.ofSeconds(15));
        assertThat(statusOf(id)).isEqualTo("queued");
        assertThat(Redis.pending()).as("not acknowledged: it is redelivered").isEqualTo(1);

        ApplicationContext next = agent(1, command);
        try {
            RunRepository r2 = next.getBean(RunRepository.class);
            Await.until("finished by the next agent", Duration.ofSeconds(20),
                    () -> r2.findById(id).map(r -> "succeeded".equals(r.status())).orElse(false));
            RunEntity done = r2.findById(id).orElseThrow();
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.result()).isEqualTo("done long");
            assertThat(next.getBean(StatusHistoryRepository.class).findByTaskIdOrderById(id))
                    .anyMatch(h -> "interrupted by shutdown; handed back for redelivery".equals(h.message()));
            Await.until("acknowledged", () -> Redis.pending() == 0 && Redis.entriesLeft() == 0);
        } finally {
            next.close();
        }
    }

    private static String statusOf(String taskId) throws Exception {
        try (Connection c = TestInfra.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT status FROM runs WHERE task_id = ?")) {
            st.setString(1, taskId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
