package org.agentplatform.agent.pact.verify;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.MessageTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.agentplatform.agent.queue.QueueEntry;
import org.agentplatform.agent.queue.TaskQueue;
import org.agentplatform.agent.queue.TaskStreams;
import org.agentplatform.agent.run.RunException;
import org.agentplatform.agent.run.RunService;
import org.agentplatform.agent.support.Await;
import org.agentplatform.agent.worker.Lease;
import org.agentplatform.agent.worker.TaskProcessor;
import org.agentplatform.agent.messages.TaskEvent;
import org.agentplatform.agent.run.RunEntity;
import org.agentplatform.agent.run.RunJournal;
import org.agentplatform.agent.run.RunRepository;
import org.agentplatform.agent.run.RunStatus;
import org.agentplatform.agent.support.Messages;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Provider verification of every pact naming the agent ({@code -Dpactfolder.path}; {@code ./meta.sh
 * test} passes the collected pacts, and without any the class passes and starts nothing). One pact
 * (the dashboard's) holds both kinds of interaction: HTTP ones are replayed against the real agent
 * API (a started Micronaut server on the embedded PostgreSQL and Redis, with a service token), and
 * pact-jvm hands the TaskEvent messages to the additional {@link MessageTestTarget}, whose
 * {@code @PactVerifyProvider} methods make each event through the agent's real publishing path —
 * a run row, {@link RunJournal} building the {@code TaskEvent}, {@code XADD agent:events} — and
 * read it back from Redis as a consumer would (public: the verifier instantiates it for a subclass,
 * {@link SampleDashboardPactsTest}).
 *
 * <p>Provider states build their data through the agent's own code: task messages put on the
 * queue as the gateway does and processed by the real {@link TaskProcessor} with the command
 * runner (its exit code and the message's timeout decide succeeded, failed or dead-lettered).
 * Each state starts from empty tables and streams.
 */
@Provider("agent")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify(ignoreIoErrors = "true")
public class AgentPactVerificationTest {
    static final String RUN = "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11";
    static final String FAILED_RUN = "9a1b2c3d-0000-4000-8000-000000000001";
    static final String DEAD_TASK = "5b2d0c1e-0000-4000-8000-000000000002";
    private static final String WORKER = "pact-verification-worker";
    /** The tokens TestInfra configures in SERVICE_TOKENS, by the consumer that wrote the pact. */
    private static final Map<String, String> TOKENS = Map.of("dashboard", "db-token", "gateway", "gw-token");

    private static EmbeddedServer server;
    private static ApplicationContext context;
    /** A worker still running a task from the previous state (the "is running" one). */
    private static CompletableFuture<Void> busyWorker;

    @BeforeEach
    void target(@Nullable PactVerificationContext verification) {
        if (verification != null) {
            context();
            verification.setTarget(new HttpTestTarget("localhost", server.getPort()));
            // pact-jvm takes, per interaction, the first target supporting its type
            verification.addAdditionalTarget(new MessageTestTarget(List.of(getClass().getPackageName())));
        }
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(@Nullable PactVerificationContext verification, @Nullable ClassicHttpRequest request) {
        if (verification == null) {
            return;   // no pacts to verify (@IgnoreNoPactsToVerify)
        }
        if (request != null) {   // HTTP interactions only; messages have no request
            String consumer = verification.getPact() == null ? "" : verification.getPact().getConsumer().getName();
            request.setHeader("Authorization", "Bearer " + TOKENS.getOrDefault(consumer, "db-token"));
        }
        verification.verifyInteraction();
    }

    @AfterAll
    static void stop() {
        finishBusyWorker();
        if (server != null) {
            server.close();
            server = null;
        }
        if (context != null) {
            context.close();
            context = null;
        }
    }

    // ------------------------------------------------------------------ provider states (HTTP)

    @State("runs exist")
    public void runsExist() {
        fresh();
        succeeded(RUN);
        succeeded(UUID.randomUUID().toString());
    }

    @State("run " + RUN + " exists")
    public void runExists() {
        fresh();
        succeeded(RUN);
    }

    @State("run " + RUN + " is running")
    public void runIsRunning() {
        fresh();
        enqueue(message(RUN, "sleep until cancelled", 600));
        busyWorker = CompletableFuture.runAsync(AgentPactVerificationTest::work);
        RunRepository runs = context.getBean(RunRepository.class);
        Await.until("run " + RUN + " running", () -> runs.findById(RUN).map(r -> RunStatus.RUNNING.equals(r.status())).orElse(false));
    }

    @State("run " + FAILED_RUN + " has failed")
    public void runHasFailed() {
        fresh();
        // the runner is stopped at the message's timeout: a failure that is not retried
        enqueue(message(FAILED_RUN, "sleep past the timeout", 1));
        work();
        assertStatus(FAILED_RUN, RunStatus.FAILED);
    }

    @State("task " + DEAD_TASK + " is dead-lettered")
    public void taskIsDeadLettered() {
        fresh();
        // agent.max-attempts is 1 here: the first non-zero exit dead-letters the task
        enqueue(message(DEAD_TASK, "fail: exit code 1", 30));
        work();
        assertStatus(DEAD_TASK, RunStatus.DEAD_LETTERED);
        if (context.getBean(TaskQueue.class).deadLetterCount() != 1) {
            throw new IllegalStateException("task " + DEAD_TASK + " is not on agent:tasks:dead");
        }
    }

    /** Empty tables and streams, no worker left from the state before. */
    private static void fresh() {
        finishBusyWorker();
        TestInfra.reset();
        context.getBean(TaskQueue.class).ensureGroups();
    }

    private static void finishBusyWorker() {
        if (busyWorker == null) {
            return;
        }
        try {
            if (context != null) {
                // the cancel interaction may already have asked for it; then the worker is finishing on its own
                context.getBean(RunRepository.class).findById(RUN)
                        .filter(r -> RunStatus.RUNNING.equals(r.status()) && !r.cancelRequested())
                        .ifPresent(r -> cancelIfStillRunning());
            }
            busyWorker.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the worker of the previous state did not stop", e);
        } finally {
            busyWorker = null;
        }
    }

    /** The worker may finish between the look and the cancel: a 409 "already finished" is then what we wanted. */
    private static void cancelIfStillRunning() {
        try {
            context.getBean(RunService.class).cancel(RUN);
        } catch (RunException alreadyFinished) {
            // nothing left to stop; busyWorker.get below sees the worker done
        }
    }

    private static void succeeded(String taskId) {
        enqueue(message(taskId, "@agent please review", 30));
        work();
        assertStatus(taskId, RunStatus.SUCCEEDED);
    }

    private static void assertStatus(String taskId, String status) {
        String actual = context.getBean(RunRepository.class).findById(taskId).map(RunEntity::status).orElse("missing");
        if (!status.equals(actual)) {
            throw new IllegalStateException("run " + taskId + " is " + actual + ", not " + status);
        }
    }

    /** A TaskQueueMessage as the gateway writes it for its API (no vendor to answer: the result is stored). */
    private static String message(String taskId, String input, int timeoutSeconds) {
        return Messages.api(taskId, input, 0).replace("\"source\":{\"vendor\":\"api\"}}",
                "\"source\":{\"vendor\":\"api\"},\"timeout_seconds\":" + timeoutSeconds + "}");
    }

    private static void enqueue(String json) {
        context.getBean(TaskQueue.class).enqueue(json, 0);
    }

    /** One worker iteration: take the next entry and process it as the worker pool does. */
    private static void work() {
        QueueEntry entry = context.getBean(TaskQueue.class).readNew(WORKER, TaskStreams.stream(0))
                .orElseThrow(() -> new IllegalStateException("nothing queued"));
        context.getBean(TaskProcessor.class).process(new Lease(entry, WORKER));
    }

    // ------------------------------------------------------------------ TaskEvent messages

    @PactVerifyProvider("a task started event")
    public MessageAndMetadata taskStarted() {
        return publishedEvent((run, journal) -> journal.changed(run, RunStatus.RUNNING, TaskEvent.Type.STARTED,
                "runner dry-run started (attempt 1)", null));
    }

    @PactVerifyProvider("a task progress event with a log line")
    public MessageAndMetadata taskProgress() {
        return publishedEvent((run, journal) -> journal.progress(run, 3, "running the tests: 42 passed",
                new BigDecimal("0.0123")));
    }

    @PactVerifyProvider("a task succeeded event")
    public MessageAndMetadata taskSucceeded() {
        return publishedEvent((run, journal) -> {
            RunRepository runs = context.getBean(RunRepository.class);
            runs.markSucceeded(run.taskId(), run.worker(), "Looks good to me.", new BigDecimal("0.0421"), 4200,
                    RunStatus.ANSWER_PENDING, Instant.now(), "runner dry-run finished in 4200 ms");
            runs.markAnswerPosted(run.taskId(), "1234567", Instant.now());
            RunEntity done = runs.findById(run.taskId()).orElseThrow();
            // what the worker publishes once the answer is posted
            journal.publish(done, TaskEvent.Type.SUCCEEDED, "answer posted: comment 1234567 on octo/hello#7",
                    done.costUsd(), null);
        });
    }

    @PactVerifyProvider("a task failed event")
    public MessageAndMetadata taskFailed() {
        return publishedEvent((run, journal) -> {
            RunRepository runs = context.getBean(RunRepository.class);
            runs.markFinished(run.taskId(), run.worker(), RunStatus.FAILED, "timed out after 600 s",
                    new BigDecimal("0.0150"), 600_000, Instant.now(), "timed out after 600 s");
            RunEntity failed = runs.findById(run.taskId()).orElseThrow();
            journal.changed(failed, RunStatus.FAILED, TaskEvent.Type.FAILED, failed.error(), failed.costUsd());
        });
    }

    /** A running GitHub task (first attempt), {@code publish} on it, and the event it put on agent:events. */
    private static MessageAndMetadata publishedEvent(BiConsumer<RunEntity, RunJournal> publish) {
        ApplicationContext ctx = context();
        RunRepository runs = ctx.getBean(RunRepository.class);
        String taskId = UUID.randomUUID().toString();
        String message = Messages.githubPr(taskId, "@agent please review this change");
        Instant now = Instant.now();
        runs.insertIfAbsent(taskId, "github", null, message, "github:octo/hello#7", "octocat",
                "@agent please review this change", "default", "coding", 0, "corr-" + taskId.substring(0, 8), now,
                "agent:tasks:0/1700000000000-0", now);
        runs.claimForStart(taskId, "agent:tasks:0/1700000000000-0", "agent-host-1-1", "dry-run", now,
                "runner dry-run started (attempt {attempt})");
        publish.accept(runs.findById(taskId).orElseThrow(), ctx.getBean(RunJournal.class));

        String json = newestEventOf(taskId);
        return new MessageAndMetadata(json.getBytes(StandardCharsets.UTF_8),
                Map.of("contentType", "application/json", "stream", "agent:events", "field", "event"));
    }

    /** The newest event of the task on agent:events: events are published asynchronously, so it is waited for. */
    private static String newestEventOf(String taskId) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (StreamMessage<String, String> m : TestInfra.redis().xrevrange("agent:events", Range.unbounded(), Limit.from(20))) {
                String json = m.getBody().get("event");
                if (json != null && json.contains("\"" + taskId + "\"")) {
                    return json;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no event of task " + taskId + " on agent:events within 10 s");
    }

    /** Started on first use only: with no pacts to verify nothing (no database, no Redis) is started. */
    private static synchronized ApplicationContext context() {
        if (context == null) {
            Map<String, Object> props = new HashMap<>(TestInfra.properties());
            props.put("agent.consumer-enabled", "false");   // the states drive the processor themselves
            props.put("agent.max-attempts", "1");
            props.put("agent.runner", "command");
            props.put("agent.command", """
                    case "$AGENT_INPUT" in
                      fail*) echo "boom" >&2; exit 1 ;;
                      sleep*) sleep 30 ;;
                      *) echo "running the tests"; echo "42 passed" ;;
                    esac""");
            server = ApplicationContext.run(EmbeddedServer.class, props);
            context = server.getApplicationContext();
        }
        return context;
    }
}
