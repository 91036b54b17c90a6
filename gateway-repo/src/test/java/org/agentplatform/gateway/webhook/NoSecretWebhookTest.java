package org.agentplatform.gateway.webhook;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.agentplatform.gateway.support.Signer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without GITHUB_WEBHOOK_SECRET nothing can be verified, so nothing is accepted — never unsigned. */
@MicronautTest(transactional = false)
class NoSecretWebhookTest extends GatewayTestSupport {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("gateway.github.webhook-secret", "");
    }

    @Test
    void everyDeliveryIsRefusedWithAHint() {
        byte[] body = GithubPayloads.prComment("@agent do it");
        for (String signature : new String[] {null, Signer.sign(body, "guess"), Signer.sign(body, SECRET)}) {
            Response r = deliver("issue_comment", newDeliveryId(), body, signature, Map.of());
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat((String) r.json().get("detail")).contains("set GITHUB_WEBHOOK_SECRET");
        }
        Response ping = deliver("ping", newDeliveryId(), GithubPayloads.raw(GithubPayloads.PING), null, Map.of());
        assertThat(ping.status()).isEqualTo(401);
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }
}
