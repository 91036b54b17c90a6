package org.agentplatform.platformtests;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the accepted tasks of a {@link TaskStream} became: answer comments counted on the fake GitHub,
 * final states read from the agent's runs API. Shared by the chaos and the deployment-scenario suites.
 */
record StreamOutcome(long accepted, long finished, long answered, long duplicated, List<String> lostIds) {
    private static final Duration SETTLE = Duration.ofSeconds(150);
    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled", "dead_lettered");

    long lost() {
        return lostIds.size();
    }

    ChaosReport.Counts counts() {
        return new ChaosReport.Counts(accepted, finished, answered, duplicated, lost());
    }

    /** Waits until every accepted task is answered (at most the settle time), then counts. */
    static StreamOutcome settle(TaskStream s, Platform platform, ServiceProcess agent) throws Exception {
        awaitAnswered(s, platform);
        Thread.sleep(1500); // a late duplicate would show now
        Map<String, Long> answers = VendorMessages.answersByTask(platform.fakeVendor);
        long answered = s.accepted.stream().filter(answers::containsKey).count();
        long duplicated = s.accepted.stream().mapToLong(id -> Math.max(0, answers.getOrDefault(id, 0L) - 1)).sum();
        List<String> lostIds = s.accepted.stream().filter(id -> !answers.containsKey(id)).toList();
        long finished = 0;
        for (String id : s.accepted) {
            if (FINAL.contains(run(platform, agent, id).path("status").asText())) {
                finished++;
            }
        }
        return new StreamOutcome(s.accepted.size(), finished, answered, duplicated, lostIds);
    }

    static void awaitAnswered(TaskStream s, Platform platform) throws Exception {
        try {
            Await.until("every accepted task of '" + s.scenario + "' answered", SETTLE,
                    () -> VendorMessages.answersByTask(platform.fakeVendor).keySet().containsAll(s.accepted));
        } catch (AssertionError timedOut) {
            // counted afterwards: the lost tasks are named by the caller's assertion
        }
    }

    /** A run as the agent's API shows it (read with the gateway's token). */
    static com.fasterxml.jackson.databind.JsonNode run(Platform platform, ServiceProcess agent, String taskId) throws Exception {
        return Webhooks.JSON.readTree(Webhooks.get(agent.url() + "/api/v1/agent/runs/" + taskId,
                platform.tokenOf(Platform.GATEWAY)).body());
    }
}
