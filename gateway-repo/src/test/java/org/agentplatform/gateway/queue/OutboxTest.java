package org.agentplatform.gateway.queue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.agentplatform.gateway.support.TestInfra;
import org.agentplatform.gateway.task.TaskFactory;
import org.agentplatform.gateway.model.CreateTaskRequest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox: accepted tasks are never lost while Redis is away. This class has its own Redis so
 * that it can stop and restart it.
 */
@MicronautTest(transactional = false)
class OutboxTest extends GatewayTestSupport {

    private static final String STREAM = "agent:tasks:0";

    private final int port = TestInfra.freePort();
    private RedisServer ownRedis = TestInfra.startRedis(port);

    @Inject
    TaskFactory factory;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("gateway.redis.url", "redis://127.0.0.1:" + port, "gateway.redis.command-timeout", "500ms");
    }

    @AfterAll
    void stopOwnRedis() {
        TestInfra.stopQuietly(ownRedis);
    }

    @Test
    void webhooksAreAcceptedWhileRedisIsDownAndEnqueuedInOrderOnceItIsBack() {
        TestInfra.stopQuietly(ownRedis);
        redis = null;
        try {
            long start = System.nanoTime();
            Response first = deliver("issue_comment", newDeliveryId(), GithubPayloads.prComment("@agent first"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            Response second = deliver("issue_comment", newDeliveryId(), GithubPayloads.prComment("@agent second"));

            assertThat(first.status()).isEqualTo(202);
            assertThat(second.status()).isEqualTo(202);
            assertThat(millis).as("answered at once, not after Redis timeouts").isLessThan(2000);
            String firstId = (String) first.json().get("task_id");
            String secondId = (String) second.json().get("task_id");

            // the relay keeps trying; the tasks wait in the outbox
            await("relay retried", Duration.ofSeconds(10),
                    () -> tasks.findById(firstId).orElseThrow().enqueueAttempts() >= 2);
            TaskRow waiting = tasks.findById(firstId).orElseThrow();
            assertThat(waiting.status()).isEqualTo(TaskRow.ACCEPTED);
            assertThat(waiting.enqueuedAt()).isNull();
            assertThat(waiting.enqueueError()).isNotBlank();

            // the API shows it as accepted, /health says Redis is down and how much waits
            Response task = api("GET", "/api/v1/tasks/" + firstId, null, API_TOKEN, Map.of());
            assertThat(task.json()).containsEntry("status", "accepted");
            assertThat(task.json().get("enqueued_at")).isNull();
            Response health = send("GET", "/health", null, Map.of());
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("\"redis\"").contains("\"outbox_pending\":2");
            assertThat(send("GET", "/health/liveness", null, Map.of()).status()).isEqualTo(200);
        } finally {
            ownRedis = TestInfra.startRedis(port);
        }

        await("both enqueued after Redis came back", Duration.ofSeconds(15), () -> streamLength(STREAM) == 2);
        List<String> order = entries(STREAM).stream()
                .map(e -> parseMessage(e.getBody().get("message")).getInputMessage()).toList();
        assertThat(order).containsExactly("@agent first", "@agent second");
        await("both marked queued", Duration.ofSeconds(5), () -> tasks.findAll().stream()
                .allMatch(t -> TaskRow.QUEUED.equals(t.status()) && t.enqueuedAt() != null && t.enqueueError() == null));
        assertThat(send("GET", "/health", null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aTaskLeftInTheOutboxIsEnqueuedByTheRelay() {
        // as if the gateway had died between the commit and the XADD
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TaskQueueMessage message = factory.fromRequest(new CreateTaskRequest("left behind", "someone"),
                "corr-left-behind", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                now.atOffset(ZoneOffset.UTC));
        tasks.save(TaskRow.accepted(message, null, null, now));

        await("relay enqueued it", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
        TaskQueueMessage onQueue = parseMessage(entries(STREAM).get(0).getBody().get("message"));
        assertThat(onQueue.getTaskId()).isEqualTo(message.getTaskId());
        assertThat(onQueue.getCorrelationId()).isEqualTo("corr-left-behind");
        await("marked queued", Duration.ofSeconds(5),
                () -> TaskRow.QUEUED.equals(tasks.findById(message.getTaskId()).orElseThrow().status()));
        stays("enqueued once", Duration.ofMillis(800), () -> streamLength(STREAM) == 1);
    }
}
