package org.agentplatform.gateway.webhook;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GATEWAY_MAX_BODY_BYTES (set to 64 KiB here) limits what is read at all. */
@MicronautTest(transactional = false)
class WebhookLimitsTest extends GatewayTestSupport {

    private static final int LIMIT = 64 * 1024;

    @Override
    protected Map<String, String> extraProperties() {
        // application.yml maps GATEWAY_MAX_BODY_BYTES to both
        return Map.of("gateway.max-body-bytes", String.valueOf(LIMIT),
                "micronaut.server.max-request-size", String.valueOf(LIMIT));
    }

    @Test
    void overTheLimitIs413ProblemAndNothingIsStored() {
        byte[] body = GithubPayloads.prComment("@agent " + "x".repeat(LIMIT));
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json()).containsEntry("status", 413)
                .containsEntry("detail", "The body is " + body.length + " bytes; the limit is " + LIMIT);
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }

    @Test
    void justUnderTheLimitIsAccepted() {
        byte[] small = GithubPayloads.prComment("@agent ");
        byte[] body = GithubPayloads.prComment("@agent " + "x".repeat(LIMIT - small.length - 10));
        assertThat(body.length).isLessThanOrEqualTo(LIMIT);
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.status()).isEqualTo(202);
        assertThat(taskCount()).isEqualTo(1);
    }
}
