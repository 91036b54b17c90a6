package org.agentplatform.gateway.task;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.agentplatform.gateway.support.VendorPayloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The after-answer executor is bounded: when its queue is full the hand-off is dropped at once
 * (the webhook is still answered quickly) and the outbox relay does the dropped work — the XADD,
 * the eyes reaction and the Sentry enrichment are all found again from the task row.
 */
@MicronautTest(transactional = false)
class AfterAnswerOverflowTest extends GatewayTestSupport {

    @Inject
    AfterAnswerExecutor executor;

    @Inject
    AfterAnswer afterAnswer;

    private CountDownLatch release = new CountDownLatch(0);

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("gateway.after-answer.threads", "1", "gateway.after-answer.vendor-threads", "1",
                "gateway.after-answer.queue-size", "1", "gateway.outbox.relay-grace", "500ms");
    }

    /** Occupies the single thread and the single queue slot of both lanes until {@link #release} counts down. */
    private void fillExecutor() throws InterruptedException {
        release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch gate = release;
        Runnable hold = () -> {
            running.countDown();
            awaitQuietly(gate);
        };
        executor.push(hold);
        executor.vendorCall(hold);
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        executor.push(() -> awaitQuietly(gate));
        executor.vendorCall(() -> awaitQuietly(gate));
    }

    @AfterEach
    void releaseExecutor() {
        release.countDown();
    }

    @Test
    void aRejectedHandOffIsEnqueuedAndReactedToByTheRelay() throws InterruptedException {
        fillExecutor();
        long rejectedBefore = afterAnswer.rejectedHandOffs();
        String deliveryId = newDeliveryId();

        long start = System.nanoTime();
        Response r = deliver("issue_comment", deliveryId, GithubPayloads.prComment("@agent overflow"));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).isEqualTo(202);
        assertThat(millis).as("answered without waiting for the full executor").isLessThan(2000);
        assertThat(afterAnswer.rejectedHandOffs()).isEqualTo(rejectedBefore + 1);
        String taskId = (String) r.json().get("task_id");

        // the relay pushes on its own thread, so the blocked executor does not hold the task back
        await("relay enqueued the dropped task", Duration.ofSeconds(10), () -> streamLength("agent:tasks:0") == 1);
        assertThat(parseMessage(entries("agent:tasks:0").get(0).getBody().get("message")).getTaskId()).isEqualTo(taskId);
        // the reaction needs an executor thread: still pending, nothing sent
        assertThat(reactionRequests("delivery-" + deliveryId + "-eyes")).isEmpty();
        assertThat(tasks.findById(taskId).orElseThrow().reactionState()).isEqualTo(TaskRow.REACTION_PENDING);

        release.countDown();
        await("relay added the reaction", Duration.ofSeconds(10),
                () -> TaskRow.REACTION_DONE.equals(tasks.findById(taskId).orElseThrow().reactionState()));
        assertThat(reactionRequests("delivery-" + deliveryId + "-eyes")).hasSize(1);
        stays("enqueued once", Duration.ofMillis(800), () -> streamLength("agent:tasks:0") == 1);
    }

    @Test
    void aRejectedSentryHandOffIsEnrichedAndQueuedByTheRelay() throws InterruptedException {
        fillExecutor();
        long rejectedBefore = afterAnswer.rejectedHandOffs();

        Response r = sentry("issue", VendorPayloads.sentryIssueCreated("1170820242"), newDeliveryId());

        assertThat(r.status()).isEqualTo(202);
        assertThat(afterAnswer.rejectedHandOffs()).isEqualTo(rejectedBefore + 1);
        String taskId = (String) r.json().get("task_id");
        // waiting for its enrichment, the task is not pushed by the relay either
        stays("not queued unenriched", Duration.ofMillis(1000), () -> streamLength("agent:tasks:0") == 0);
        assertThat(tasks.findById(taskId).orElseThrow().enrichState()).isEqualTo(TaskRow.ENRICH_PENDING);

        release.countDown();
        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getTaskId()).isEqualTo(taskId);
        assertThat(m.getInputMessage()).contains("Exception: ReferenceError: blooopy is not defined");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
