package org.agentplatform.gateway.webhook;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.VendorPayloads;
import org.agentplatform.gateway.support.VendorSigner;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without SLACK_SIGNING_SECRET, JIRA_WEBHOOK_SECRET or SENTRY_CLIENT_SECRET nothing of that vendor
 * can be verified, so nothing is accepted (as for GitHub): never unsigned, never signed with a guess.
 */
@MicronautTest(transactional = false)
class NoVendorSecretsWebhookTest extends GatewayTestSupport {

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("gateway.slack.signing-secret", "", "gateway.jira.webhook-secret", "",
                "gateway.sentry.client-secret", "");
    }

    @Test
    void everyRequestIsRefusedWithAHintNamingTheVariable() {
        byte[] mention = VendorPayloads.raw(VendorPayloads.SLACK_APP_MENTION);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        Response slack = slack(mention, VendorPayloads.JSON_TYPE, ts, VendorSigner.slack(ts, mention, SLACK_SECRET),
                Map.of());
        Response verification = slack(VendorPayloads.raw(VendorPayloads.SLACK_URL_VERIFICATION),
                VendorPayloads.JSON_TYPE, ts, null, Map.of());
        byte[] issue = VendorPayloads.raw(VendorPayloads.JIRA_ISSUE_UPDATED);
        Response jira = jira(issue, newDeliveryId(), "sha256=" + VendorSigner.hex(issue, JIRA_SECRET));
        byte[] sentryIssue = VendorPayloads.sentryIssueCreated("1");
        Response sentry = sentry("issue", sentryIssue, newDeliveryId(), VendorSigner.hex(sentryIssue, SENTRY_SECRET));

        assertThat(slack.status()).isEqualTo(401);
        assertThat((String) slack.json().get("detail")).contains("set SLACK_SIGNING_SECRET");
        assertThat(verification.status()).isEqualTo(401);
        assertThat(jira.status()).isEqualTo(401);
        assertThat((String) jira.json().get("detail")).contains("set JIRA_WEBHOOK_SECRET");
        assertThat(sentry.status()).isEqualTo(401);
        assertThat(sentry.contentType()).startsWith("application/problem+json");
        assertThat((String) sentry.json().get("detail")).contains("set SENTRY_CLIENT_SECRET");
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }
}
