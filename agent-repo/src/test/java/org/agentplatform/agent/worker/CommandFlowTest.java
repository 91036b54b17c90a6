package org.agentplatform.agent.worker;

import io.lettuce.core.StreamMessage;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.agentplatform.agent.model.Run;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.run.LogLineEntity;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunLogRepository;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.run.StatusHistoryRepository;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.Redis;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command runner through the real worker pool (one worker): output streamed into the log,
 * retries with backoff and the dead letter, timeout and cancel killing the process tree, priority.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandFlowTest implements TestPropertyProvider {
    private Path pids;

    @Inject RunRepository runs;
    @Inject RunLogRepository logs;
    @Inject StatusHistoryRepository history;
    @Inject TaskQueue queue;
    @Inject JsonMapper json;
    @Inject @Client("/") HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        try {
            pids = Files.createTempDirectory("agent-pids-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> p = TestInfra.properties();
        p.put("agent.runner", "command");
        p.put("agent.workers", "1");
        p.put("agent.max-attempts", "3");
        p.put("agent.command", """
                case "$AGENT_INPUT" in
                  fail*) echo "about to fail"; echo "boom" >&2; exit 3 ;;
                  sleep*) sleep 30 & echo $! > "%1$s/$AGENT_TASK_ID.child"; echo $$ > "%1$s/$AGENT_TASK_ID.sh"; echo started; wait ;;
                  slow*) sleep 1; echo "slow done" ;;
                  *) echo "line one"; echo "warn" >&2; cat; echo; echo "done: $AGENT_TASK_ID in $(pwd)" ;;
                esac""".formatted(pids));
        return p;
    }

    @BeforeEach
    void reset() {
        TestInfra.reset();
        queue.ensureGroups();
    }

    @Test
    void stdoutAndStderrAreStreamedIntoTheLogAndTheResultIsStdout() {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "hello\nworld", 0), 0);
        RunEntity run = awaitStatus(id, "succeeded");

        assertThat(run.runner()).isEqualTo("command");
        assertThat(run.result()).startsWith("line one\nhello\nworld\ndone: " + id + " in ");
        assertThat(run.result()).contains("/agent-run-");
        List<LogLineEntity> lines = logs.page(id, 0, 100);
        assertThat(lines).extracting(LogLineEntity::seq).isSorted().doesNotHaveDuplicates();
        assertThat(lines).anyMatch(l -> "stdout".equals(l.stream()) && "line one".equals(l.text()));
        assertThat(lines).anyMatch(l -> "stderr".equals(l.stream()) && "warn".equals(l.text()));
        assertThat(lines).anyMatch(l -> "system".equals(l.stream()) && l.text().startsWith("command started in "));
        Path workDir = Path.of(run.result().substring(run.result().indexOf(" in ") + 4).strip());
        assertThat(workDir).as("the fresh working directory is removed afterwards").doesNotExist();
    }

    @Test
    void aFailingTaskIsRetriedWithBackoffThenDeadLettered() throws IOException {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "fail please", 0), 0);
        RunEntity run = awaitStatus(id, "dead_lettered");
        Await.until("dead_lettered recorded", () -> history.findByTaskIdOrderById(id).stream()
                .anyMatch(h -> "dead_lettered".equals(h.status())));

        assertThat(run.attempts()).isEqualTo(3);
        assertThat(run.error()).isEqualTo("runner failed 3 times: exit code 3: boom");
        assertThat(history.findByTaskIdOrderById(id)).extracting(h -> h.status()).containsExactly(
                "queued", "running", "queued", "running", "queued", "running", "dead_lettered");
        List<StreamMessage<String, String>> dead = Redis.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getBody()).containsEntry("attempts", "3")
                .containsEntry("reason", "runner failed 3 times: exit code 3: boom");
        assertThat(dead.get(0).getBody().get("message")).contains("\"task_id\":\"" + id + "\"");
        assertThat(logs.page(id, 0, 100)).filteredOn(l -> "stderr".equals(l.stream())).hasSize(3);
        Await.until("queue empty", () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);

        Await.until("dead_lettered event", () -> Redis.events().stream().anyMatch(m ->
                m.getBody().get("event").contains("\"dead_lettered\"") && m.getBody().get("event").contains(id)));
        List<String> types = new ArrayList<>();
        for (StreamMessage<String, String> m : Redis.events()) {
            Map<String, Object> e = json.readValue(m.getBody().get("event"), Argument.mapOf(String.class, Object.class));
            if (id.equals(e.get("task_id")) && !"progress".equals(e.get("type"))) {
                types.add((String) e.get("type"));
            }
        }
        assertThat(types).containsExactly("queued", "started", "queued", "started", "queued", "started", "dead_lettered");
    }

    @Test
    void aTimeoutKillsTheWholeProcessTreeAndFailsTheRun() throws Exception {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "sleep", 0).replace("\"priority\"", "\"timeout_seconds\":1,\"priority\""), 0);
        RunEntity run = awaitStatus(id, "failed");

        assertThat(run.error()).isEqualTo("timed out after 1 s");
        assertThat(run.attempts()).as("a timeout is not retried").isEqualTo(1);
        assertProcessesGone(id);
        Await.until("entry acknowledged", () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);
    }

    @Test
    void cancellingARunningTaskThroughTheApiKillsTheCommand() throws Exception {
        String id = Messages.newId();
        Redis.enqueue(Messages.api(id, "sleep", 0), 0);
        Await.until("command running", () -> Files.exists(pids.resolve(id + ".child")));

        HttpResponse<Run> r = http.toBlocking().exchange(HttpRequest.POST("/api/v1/agent/runs/" + id + "/cancel", "")
                .bearerAuth("gw-token"), Run.class);
        assertThat(r.getStatus().getCode()).isEqualTo(202);
        assertThat(r.body().getStatus().getValue()).isEqualTo("running");

        RunEntity run = awaitStatus(id, "cancelled");
        Await.until("cancelled recorded", () -> history.findByTaskIdOrderById(id).stream()
                .anyMatch(h -> "cancelled".equals(h.status())));
        assertThat(run.error()).isEqualTo("cancelled");
        assertThat(run.cancelRequested()).isFalse();
        assertProcessesGone(id);
        Await.until("entry acknowledged", () -> Redis.entriesLeft() == 0 && Redis.pending() == 0);
        assertThat(history.findByTaskIdOrderById(id)).extracting(h -> h.status())
                .containsExactly("queued", "running", "running", "cancelled");
    }

    @Test
    void higherPriorityTasksStartFirst() {
        String slow = Messages.newId();
        Redis.enqueue(Messages.api(slow, "slow", 0), 0);
        Await.until("the worker is busy", () -> runs.findById(slow).map(r -> "running".equals(r.status())).orElse(false));
        String low = Messages.newId();
        String mid = Messages.newId();
        String high = Messages.newId();
        Redis.enqueue(Messages.api(low, "low", 0), 0);
        Redis.enqueue(Messages.api(mid, "mid", 5), 5);
        Redis.enqueue(Messages.api(high, "high", 12), 12);

        for (String t : List.of(low, mid, high)) {
            awaitStatus(t, "succeeded");
        }
        List<String> byStart = new ArrayList<>(List.of(low, mid, high));
        byStart.sort((a, b) -> runs.findById(a).orElseThrow().startedAt().compareTo(runs.findById(b).orElseThrow().startedAt()));
        assertThat(byStart).containsExactly(high, mid, low);
    }

    private void assertProcessesGone(String id) throws IOException {
        long sh = Long.parseLong(Files.readString(pids.resolve(id + ".sh")).strip());
        long child = Long.parseLong(Files.readString(pids.resolve(id + ".child")).strip());
        Await.until("sh and its sleep child killed", Duration.ofSeconds(5), () ->
                ProcessHandle.of(sh).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE
                        && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE);
    }

    private RunEntity awaitStatus(String id, String status) {
        Await.until("task " + id + " " + status, Duration.ofSeconds(20),
                () -> runs.findById(id).map(r -> status.equals(r.status())).orElse(false));
        return runs.findById(id).orElseThrow();
    }
}
