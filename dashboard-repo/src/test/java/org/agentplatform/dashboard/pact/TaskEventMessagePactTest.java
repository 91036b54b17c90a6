package org.agentplatform.dashboard.pact;

import au.com.dius.pact.consumer.dsl.PactBuilder;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.consumer.junit5.ProviderType;
import au.com.dius.pact.core.model.V4Interaction;
import au.com.dius.pact.core.model.V4Pact;
import au.com.dius.pact.core.model.annotations.Pact;
import io.micronaut.json.JsonMapper;
import org.agentplatform.dashboard.events.EventFrames;
import org.agentplatform.dashboard.messages.TaskEvent;
import org.junit.jupiter.api.Test;


import static org.agentplatform.dashboard.pact.PactSupport.RFC3339;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message pact dashboard (consumer) ← agent (provider): the TaskEvents on agent:events (field
 * {@code event}) the dashboard forwards to browsers, with only the fields the page uses. The
 * bytes go through the dashboard's real parser and frame writer. Pact V4, like the HTTP pact
 * with the agent: both land in one file, target/pacts/dashboard-agent.json (V3 message and V4
 * HTTP interactions cannot share a file).
 */
@PactConsumerTest
@PactTestFor(providerName = "agent", providerType = ProviderType.ASYNCH)
class TaskEventMessagePactTest {
    private final EventFrames frames = new EventFrames(JsonMapper.createDefault());

    private static PactDslJsonBody event(String type, String messageExample) {
        return new PactDslJsonBody()
                .stringMatcher("task_id", PactSupport.ID, "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11")
                .stringValue("type", type)
                .stringMatcher("at", RFC3339, "2026-11-26T10:00:00.020Z")
                .stringType("message", messageExample)
                .stringMatcher("source_vendor", PactSupport.VENDOR, "github");
    }

    @Pact(consumer = "dashboard")
    V4Pact started(PactBuilder builder) {
        return builder.usingLegacyMessageDsl().expectsToReceive("a task started event").withContent(event("started", "attempt 1 started (runner dry-run)")).toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact progress(PactBuilder builder) {
        return builder.usingLegacyMessageDsl().expectsToReceive("a task progress event with a log line")
                .withContent(event("progress", "Running the tests").integerType("log_seq", 0L)).toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact succeeded(PactBuilder builder) {
        return builder.usingLegacyMessageDsl().expectsToReceive("a task succeeded event").withContent(event("succeeded", "answer posted: comment 1234567")).toPact(V4Pact.class);
    }

    @Pact(consumer = "dashboard")
    V4Pact failed(PactBuilder builder) {
        return builder.usingLegacyMessageDsl().expectsToReceive("a task failed event").withContent(event("failed", "runner exited with code 1")).toPact(V4Pact.class);
    }

    @Test
    @PactTestFor(pactMethod = "started")
    void aStartedEventMarksTheTaskRunning(V4Interaction.AsynchronousMessage message) {
        TaskEvent e = parse(message);
        assertThat(e.getType()).isEqualTo(TaskEvent.Type.STARTED);
        assertThat(e.getSourceVendor()).isNotNull();
        assertThat(frames.taskEvent("1-0", e)).contains("\"kind\":\"task_event\"", "\"type\":\"started\"");
    }

    @Test
    @PactTestFor(pactMethod = "progress")
    void aProgressEventCarriesALogLineAndItsPosition(V4Interaction.AsynchronousMessage message) {
        TaskEvent e = parse(message);
        assertThat(e.getType()).isEqualTo(TaskEvent.Type.PROGRESS);
        assertThat(e.getLogSeq()).isNotNull().isNotNegative();
        assertThat(frames.taskEvent("1-1", e)).contains("\"log_seq\":" + e.getLogSeq());
    }

    @Test
    @PactTestFor(pactMethod = "succeeded")
    void aSucceededEventEndsTheTask(V4Interaction.AsynchronousMessage message) {
        TaskEvent e = parse(message);
        assertThat(e.getType()).isEqualTo(TaskEvent.Type.SUCCEEDED);
        assertThat(frames.taskEvent("1-2", e)).contains("\"type\":\"succeeded\"");
    }

    @Test
    @PactTestFor(pactMethod = "failed")
    void aFailedEventEndsTheTaskWithItsReason(V4Interaction.AsynchronousMessage message) {
        TaskEvent e = parse(message);
        assertThat(e.getType()).isEqualTo(TaskEvent.Type.FAILED);
        assertThat(e.getMessage()).isNotBlank();
    }

    private TaskEvent parse(V4Interaction.AsynchronousMessage message) {
        String json = message.getContents().getContents().valueAsString();
        TaskEvent e = frames.parse(json).orElseThrow(() -> new AssertionError("not a TaskEvent the dashboard accepts: " + json));
        assertThat(e.getTaskId()).isNotBlank();
        assertThat(e.getAt()).isNotNull();
        return e;
    }
}
