package org.agentplatform.gateway.github;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** The eyes reaction is retried on transient failures, given up on permanent ones, and never costs the task. */
@MicronautTest(transactional = false)
class EyesReactionTest extends GatewayTestSupport {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("gateway.reaction.max-attempts", "3");
    }

    private String deliverTask(String deliveryId) {
        Response r = deliver("issue_comment", deliveryId, GithubPayloads.prComment("@agent review"));
        assertThat(r.status()).isEqualTo(202);
        return (String) r.json().get("task_id");
    }

    @Test
    void transientFailureIsRetriedWithTheSameIdempotencyKey() {
        githubService.stubFor(post(urlPathMatching(REACTIONS_PATH)).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Service Unavailable\",\"status\":503}")));
        String deliveryId = newDeliveryId();
        String taskId = deliverTask(deliveryId);

        await("reaction done after a retry", Duration.ofSeconds(15),
                () -> TaskRow.REACTION_DONE.equals(tasks.findById(taskId).orElseThrow().reactionState()));
        assertThat(reactionRequests("delivery-" + deliveryId + "-eyes")).hasSize(2);
        assertThat(tasks.findById(taskId).orElseThrow().reactionAttempts()).isEqualTo(2);
        await("task queued", Duration.ofSeconds(5), () -> streamLength("agent:tasks:0") == 1);
    }

    @Test
    void permanentFailureIsNotRetriedAndTheTaskIsUnaffected() {
        githubService.stubFor(post(urlPathMatching(REACTIONS_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Not Found\",\"status\":404,\"detail\":\"GitHub answered 404\"}")));
        String deliveryId = newDeliveryId();
        String taskId = deliverTask(deliveryId);

        await("reaction failed", Duration.ofSeconds(10),
                () -> TaskRow.REACTION_FAILED.equals(tasks.findById(taskId).orElseThrow().reactionState()));
        TaskRow row = tasks.findById(taskId).orElseThrow();
        assertThat(row.reactionError()).contains("404");
        stays("not retried", Duration.ofMillis(1000),
                () -> reactionRequests("delivery-" + deliveryId + "-eyes").size() == 1);
        assertThat(streamLength("agent:tasks:0")).isEqualTo(1);
        assertThat(tasks.findById(taskId).orElseThrow().status()).isEqualTo(TaskRow.QUEUED);
    }

    @Test
    void unreachableGithubServiceIsRetriedUpToTheLimitThenGivenUp() {
        githubService.stubFor(post(urlPathMatching(REACTIONS_PATH)).willReturn(aResponse().withStatus(502)));
        String deliveryId = newDeliveryId();
        String taskId = deliverTask(deliveryId);

        await("given up", Duration.ofSeconds(20),
                () -> TaskRow.REACTION_FAILED.equals(tasks.findById(taskId).orElseThrow().reactionState()));
        assertThat(reactionRequests("delivery-" + deliveryId + "-eyes")).hasSize(3);
        assertThat(tasks.findById(taskId).orElseThrow().status()).isEqualTo(TaskRow.QUEUED);
    }

    @Test
    void conflictBecauseTheSameKeyIsStillInProgressIsSettledNotRetried() {
        // github-service's answer to a repeated Idempotency-Key while the first call still runs
        githubService.stubFor(post(urlPathMatching(REACTIONS_PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withHeader("Retry-After", "1")
                .withBody("{\"title\":\"Conflict\",\"status\":409,\"detail\":\"A request with"
                        + " Idempotency-Key is still in progress\"}")));
        String deliveryId = newDeliveryId();
        String taskId = deliverTask(deliveryId);

        await("reaction settled", Duration.ofSeconds(10),
                () -> TaskRow.REACTION_DONE.equals(tasks.findById(taskId).orElseThrow().reactionState()));
        assertThat(tasks.findById(taskId).orElseThrow().reactionError()).contains("409").contains("in progress");
        stays("not retried", Duration.ofMillis(1000),
                () -> reactionRequests("delivery-" + deliveryId + "-eyes").size() == 1);
    }
}
