package org.agentplatform.agent.pact.verify;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junit5.MessageTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
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
import java.util.function.BiConsumer;

/**
 * Message-pact provider verification: the agent produces the TaskEvents its consumers (the
 * dashboard) expect on {@code agent:events}. Each event is made by the agent's real publishing
 * path — a run row in the agent's database, {@link RunJournal} building the {@code TaskEvent},
 * the codec writing it, {@code XADD agent:events} — and read back from Redis, exactly as a
 * consumer would get it (public: the verifier instantiates it for a subclass, {@link SampleDashboardPactsTest}). Pacts come from {@code -Dpactfolder.path} ({@code ./meta.sh test} passes
 * the collected pacts); without any the class passes and starts nothing.
 */
@Provider("agent")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify(ignoreIoErrors = "true")
public class AgentMessagePactVerificationTest {
    private static ApplicationContext context;

    @BeforeEach
    void target(@Nullable PactVerificationContext verification) {
        if (verification != null) {
            verification.setTarget(new MessageTestTarget(List.of(getClass().getPackageName())));
        }
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(@Nullable PactVerificationContext verification) {
        if (verification != null) {
            verification.verifyInteraction();
        }
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

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
                    RunStatus.ANSWER_PENDING, Instant.now());
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
                    new BigDecimal("0.0150"), 600_000, Instant.now());
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
        runs.claimForStart(taskId, "agent:tasks:0/1700000000000-0", "agent-host-1-1", "dry-run", now);
        publish.accept(runs.findById(taskId).orElseThrow(), ctx.getBean(RunJournal.class));

        List<StreamMessage<String, String>> last = TestInfra.redis().xrevrange("agent:events", Range.unbounded(), Limit.from(1));
        String json = last.get(0).getBody().get("event");
        return new MessageAndMetadata(json.getBytes(StandardCharsets.UTF_8),
                Map.of("contentType", "application/json", "stream", "agent:events", "field", "event"));
    }

    /** Started on first use only: with no pacts to verify nothing (no database, no Redis) is started. */
    private static synchronized ApplicationContext context() {
        if (context == null) {
            Map<String, Object> props = new HashMap<>(TestInfra.properties());
            props.put("agent.consumer-enabled", "false");
            context = ApplicationContext.run(props);
        }
        return context;
    }
}
