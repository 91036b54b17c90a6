package org.agentplatform.platformtests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's four independent-deployment scenarios, on the real jars, each while signed webhooks flow:
 * one service replaced alone, the agent scaled 1 → 3 → 1, the gateway switched blue → green, and one
 * service's database migrated while the others run. Each records what it checked (ChaosReport) and
 * fails on any lost, duplicated or refused delivery.
 */
@Tag("scenarios")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentScenariosTest {

    private Platform platform;
    private ServiceProcess github;
    private ServiceProcess agent;
    private final AtomicReference<ServiceProcess> liveGateway = new AtomicReference<>();
    private Path extraMigrations;

    @BeforeAll
    void start() throws Exception {
        extraMigrations = Files.createTempDirectory("scenario-migrations");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_RUNNER", "command");
        env.put("AGENT_COMMAND", "sleep 0.2; echo \"answer for $AGENT_TASK_ID\"");
        env.put("AGENT_WORKERS", "1");
        env.put("AGENT_VISIBILITY_TIMEOUT_SECONDS", "5");
        env.put("LOG_FORMAT", "json");
        platform = new Platform("deployment-scenarios", List.of(Platform.GITHUB, Platform.AGENT, Platform.GATEWAY), env,
                java.util.Set.of(Platform.GITHUB));
        new FakeGithub(platform.fakeVendor);
        github = platform.service(Platform.GITHUB);
        agent = platform.service(Platform.AGENT);
        liveGateway.set(platform.service(Platform.GATEWAY));
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(0)
    void oneTasksTraceIdIsInTheLogsOfGatewayAgentAndVendorService() throws Exception {
        var r = Webhooks.sendGithub(liveGateway.get().url(), "issue_comment", java.util.UUID.randomUUID().toString(),
                Webhooks.githubIssueComment("@agent trace me", 88_000_001L), platform.webhookSecret);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String taskId = Webhooks.JSON.readTree(r.body()).path("task_id").asText();
        Await.until("answer of " + taskId, Duration.ofSeconds(60), () -> VendorMessages.answersByTask(platform.fakeVendor).containsKey(taskId));
        Matcher created = Pattern.compile("task " + taskId + " created .*\\(trace ([0-9a-f]{32})\\)")
                .matcher(liveGateway.get().logText());
        assertThat(created.find()).as("the gateway's log line of task %s names its trace", taskId).isTrue();
        String traceId = created.group(1);
        boolean inAgent = agent.logText().contains("Task " + taskId + " received") && agent.logText().contains("trace " + traceId);
        boolean inVendorService = github.logText().contains("\"trace_id\":\"" + traceId + "\"");
        ChaosReport.hostile("one trace id in gateway, agent and github-service logs", 3,
                (inAgent ? 0 : 1) + (inVendorService ? 0 : 1), "trace " + traceId + " of task " + taskId);
        assertThat(inAgent).as("trace %s in the agent's log", traceId).isTrue();
        assertThat(inVendorService).as("trace %s in github-service's JSON log", traceId).isTrue();
    }

    @Test
    @Order(1)
    void updateGithubServiceAlone_othersKeepWorking_nothingLost() throws Exception {
        // the new version: the jar this build made, started in place of the running one (a Deployment's rollout)
        TaskStream s = during("update github-service alone", () -> {
            Thread.sleep(4000);
            github.stop();
            github.start();
            github.awaitHealthy(Duration.ofSeconds(90));
        });
        settle(s, "github-service stopped and its new version started while webhooks flowed; gateway and agent untouched");
    }

    @Test
    @Order(2)
    void scaleTheAgentFrom1To3AndBack_throughputFollows_nothingLostOrDuplicated() throws Exception {
        List<ServiceProcess> extra = new ArrayList<>();
        double[] perSecond = new double[2];
        TaskStream s = during("scale agent 1 → 3 → 1", () -> {
            long a0 = VendorMessages.answersByTask(platform.fakeVendor).size();
            Thread.sleep(4000);
            perSecond[0] = (VendorMessages.answersByTask(platform.fakeVendor).size() - a0) / 4.0;
            for (int i = 2; i <= 3; i++) {
                ServiceProcess p = platform.replica(Platform.AGENT, "agent-" + i);
                p.start();
                extra.add(p);
            }
            for (ServiceProcess p : extra) {
                p.awaitHealthy(Duration.ofSeconds(90));
            }
            long b0 = VendorMessages.answersByTask(platform.fakeVendor).size();
            Thread.sleep(4000);
            perSecond[1] = (VendorMessages.answersByTask(platform.fakeVendor).size() - b0) / 4.0;
            for (ServiceProcess p : extra) {
                p.stop();   // SIGTERM: running tasks finish or go back to the queue
            }
        });
        // throughput is recorded, not asserted: these machines are shared (the bench measures scaling)
        settle(s, String.format(java.util.Locale.ROOT, "agent replicas 1 → 3 → 1 (SIGTERM) while the backlog grew: "
                + "%.1f answers/s with 1 replica, %.1f with 3", perSecond[0], perSecond[1]));
    }

    @Test
    @Order(3)
    void blueGreenGateway_noConnectionErrors_nothingLost() throws Exception {
        ServiceProcess blue = liveGateway.get();
        TaskStream s = during("blue-green gateway", () -> {
            Thread.sleep(3000);
            ServiceProcess green = platform.replica(Platform.GATEWAY, "gateway-green");
            green.start();
            green.awaitHealthy(Duration.ofSeconds(90));
            liveGateway.set(green);   // the switch: the Service selector now points at green
            Thread.sleep(1000);       // what blue had in flight ends; then it is stopped (it drains on SIGTERM)
            blue.stop();
        });
        assertThat(s.refused.get()).as("deliveries refused").isZero();
        assertThat(s.dropped).as("deliveries cut").isEmpty();
        settle(s, "gateway-green started beside blue, traffic switched, blue stopped: 0 connection errors");
    }

    @Test
    @Order(4)
    void migrateOneServicesDatabase_onlyThatServiceRestarts() throws Exception {
        Files.writeString(extraMigrations.resolve("V900__scenario_call_note.sql"),
                "ALTER TABLE outbound_call ADD COLUMN scenario_note TEXT;\n");
        long agentPid = agent.pid();
        long gatewayPid = liveGateway.get().pid();
        TaskStream s = during("migrate github-service's database", () -> {
            Thread.sleep(4000);
            github.stop();
            github.setEnv("FLYWAY_DATASOURCES_DEFAULT_LOCATIONS", "classpath:db/migration,filesystem:" + extraMigrations);
            github.start();
            github.awaitHealthy(Duration.ofSeconds(90));
        });
        boolean migrated;
        try (Connection c = platform.superuserConnection(Platform.GITHUB); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE version = '900' AND success")) {
            rs.next();
            migrated = rs.getLong(1) == 1;
        }
        settle(s, "github-service restarted with migration V900 (applied: " + migrated + "); agent and gateway kept their pids");
        assertThat(migrated).as("V900 applied to github-service's database").isTrue();
        assertThat(agent.pid()).as("agent pid").isEqualTo(agentPid);
        assertThat(liveGateway.get().pid()).as("gateway pid").isEqualTo(gatewayPid);
    }

    // ---- the harness ----------------------------------------------------------------------------

    private interface Change {
        void run() throws Exception;
    }

    /** Streams webhooks to whichever gateway is live while the change happens. */
    private TaskStream during(String scenario, Change change) throws Exception {
        CompletableFuture<Void> changed = CompletableFuture.runAsync(() -> {
            try {
                change.run();
            } catch (Exception e) {
                throw new IllegalStateException(scenario + ": the change failed", e);
            }
        });
        TaskStream s = TaskStream.run(scenario, TaskStream.RATE, TaskStream.LENGTH, () -> liveGateway.get().url(), platform.webhookSecret);
        changed.get();
        return s;
    }

    private void settle(TaskStream s, String checked) throws Exception {
        StreamOutcome c = StreamOutcome.settle(s, platform, agent);
        ChaosReport.scenario("deploy: " + s.scenario, c.counts(), checked + "; " + s.sent + " sent, " + s.refused.get()
                + " refused, " + s.dropped.size() + " cut, " + s.rejected.size() + " not accepted");
        assertThat(s.rejected).as("deliveries not accepted").isEmpty();
        assertThat(s.refused.get()).as("deliveries refused").isZero();
        assertThat(s.dropped).as("deliveries cut").isEmpty();
        assertThat(c.lost()).as("accepted tasks never answered: %s", c.lostIds()).isZero();
        assertThat(c.duplicated()).as("answers posted twice").isZero();
    }

}
