package org.agentplatform.gateway.webhook.sentry;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.SentrySource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.VendorPayloads;
import org.agentplatform.gateway.support.VendorSigner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.agentplatform.gateway.support.VendorPayloads.map;
import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class SentryWebhookTest extends GatewayTestSupport {

    @Test
    void newIssueBecomesATriageTaskEnrichedWithTheStackTraceBeforeItIsQueued() {
        Response r = sentry("issue", VendorPayloads.sentryIssueCreated("1170820242"), newDeliveryId());

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "task_created");
        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getAgentType()).isEqualTo("triage");
        assertThat(m.getSessionId()).isEqualTo("sentry:1170820242");
        assertThat(m.getUserId()).isEqualTo("sentry");
        assertThat(m.getSource().getVendor()).isEqualTo(TaskSource.Vendor.SENTRY);
        assertThat(m.getSource().getUrl()).isEqualTo("https://sentry.io/organizations/test-org/issues/1170820242/");
        SentrySource s = m.getSource().getSentry();
        assertThat(s.getIssueId()).isEqualTo("1170820242");
        assertThat(s.getProject()).isEqualTo("front-end");
        assertThat(s.getOrganization()).isEqualTo("test-org");
        // the webhook's own summary, then what sentry-service returned: in-app frame first
        assertThat(m.getInputMessage()).startsWith("Triage this new Sentry issue:\nFRONT-END-9: ReferenceError:"
                + " blooopy is not defined\nCulprit: ?(runner)");
        assertThat(m.getInputMessage()).contains("Exception: ReferenceError: blooopy is not defined\n"
                + "  at submitOrder (app/checkout.js:88)\n      const id = blooopy.customer.id;\n"
                + "  at run (/js/prod/runner-4.1.7.min.js:1) [library]");
        assertThat(issueRequests("1170820242")).hasSize(1);
        assertThat(issueRequests("1170820242").get(0).getHeader("Authorization")).isEqualTo("Bearer " + GATEWAY_TOKEN);
        assertThat(issueRequests("1170820242").get(0).getHeader("X-Correlation-Id")).isEqualTo(m.getCorrelationId());
    }

    @Test
    void sentrysOwnIssueExampleWithoutWebUrlWorksToo() {
        Response r = sentry("issue", VendorPayloads.raw(VendorPayloads.SENTRY_ISSUE_CREATED), newDeliveryId());

        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getSource().getSentry().getIssueId()).isEqualTo("1170820242");
        assertThat(m.getSource().getUrl()).isNull();
    }

    @Test
    void eventAlertBecomesATriageTaskForItsIssue() {
        Response r = sentry("event_alert", VendorPayloads.raw(VendorPayloads.SENTRY_EVENT_ALERT), newDeliveryId());

        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getSource().getSentry().getIssueId()).isEqualTo("1117540176");
        assertThat(m.getSource().getSentry().getOrganization()).isEqualTo("test-org");
        assertThat(m.getInputMessage()).contains("rule: Very Important Alert Rule!")
                .contains("ReferenceError: heck is not defined");
        assertThat(issueRequests("1117540176")).hasSize(1);
    }

    @Test
    void eventAlertWithoutIssueIdTakesItFromTheIssueUrl() {
        byte[] body = VendorPayloads.derive(VendorPayloads.SENTRY_EVENT_ALERT,
                p -> map(map(p, "data"), "event").remove("issue_id"));

        Response r = sentry("event_alert", body, newDeliveryId());

        assertThat(parseMessage(queuedMessageOf(r, Duration.ofSeconds(10))).getSource().getSentry().getIssueId())
                .isEqualTo("1117540176");
    }

    @Test
    void otherResourcesAndActionsAreIgnoredWithAReason() {
        Response installation = sentry("installation", VendorPayloads.raw(VendorPayloads.SENTRY_INSTALLATION),
                newDeliveryId());
        Response resolved = sentry("issue", VendorPayloads.derive(VendorPayloads.SENTRY_ISSUE_CREATED,
                p -> p.put("action", "resolved")), newDeliveryId());

        assertThat(installation.status()).isEqualTo(202);
        assertThat(installation.json()).containsEntry("outcome", "ignored");
        assertThat((String) installation.json().get("reason")).contains("installation");
        assertThat(resolved.json()).containsEntry("outcome", "ignored");
        assertThat((String) resolved.json().get("reason")).contains("resolved");
        assertThat(taskCount()).isZero();
    }

    @Test
    void theSameRequestIdTwiceAndTheSameIssueWithinTheWindowMakeOneTask() {
        byte[] body = VendorPayloads.sentryIssueCreated("42");
        String id = newDeliveryId();
        Response first = sentry("issue", body, id);
        Response redelivered = sentry("issue", body, id);
        Response alertOnSameIssue = sentry("event_alert", VendorPayloads.derive(VendorPayloads.SENTRY_EVENT_ALERT,
                p -> map(map(p, "data"), "event").put("issue_id", "42")), newDeliveryId());

        assertThat(redelivered.json()).containsEntry("duplicate", true);
        assertThat(alertOnSameIssue.status()).isEqualTo(202);
        assertThat(alertOnSameIssue.json()).containsEntry("outcome", "duplicate").containsEntry("duplicate", false)
                .containsEntry("task_id", first.json().get("task_id"));
        assertThat((String) alertOnSameIssue.json().get("reason")).contains("sentry:42");
        assertThat(taskCount()).isEqualTo(1);
    }

    @Test
    void unreachableSentryServiceStillQueuesTheTaskWithANoteAfterTheAttempts() {
        githubService.stubFor(WireMock.get(urlPathMatching(SENTRY_ISSUE_PATH)).willReturn(aResponse().withStatus(503)));

        Response r = sentry("issue", VendorPayloads.sentryIssueCreated("7"), newDeliveryId());
        assertThat(r.status()).isEqualTo(202);

        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(15)));
        assertThat(m.getInputMessage()).startsWith("Triage this new Sentry issue")
                .contains("The stack trace could not be fetched from Sentry: sentry-service answered 503");
        assertThat(issueRequests("7")).hasSize(4);   // SENTRY_ENRICH_ATTEMPTS
    }

    @Test
    void unknownIssueAtSentryServiceIsNotRetried() {
        githubService.stubFor(WireMock.get(urlPathMatching(SENTRY_ISSUE_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}")));

        Response r = sentry("issue", VendorPayloads.sentryIssueCreated("8"), newDeliveryId());

        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getInputMessage()).contains("could not be fetched");
        stays("no second call", Duration.ofMillis(600), () -> issueRequests("8").size() == 1);
    }

    @Test
    void badOrMissingSignatureIs401AndNothingIsStored() {
        byte[] body = VendorPayloads.sentryIssueCreated("9");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"9\"", "\"10\"")
                .getBytes(StandardCharsets.UTF_8);
        String good = VendorSigner.hex(body, SENTRY_SECRET);

        for (Response r : List.of(sentry("issue", body, newDeliveryId(), null),
                sentry("issue", body, newDeliveryId(), VendorSigner.hex(body, "guess")),
                sentry("issue", tampered, newDeliveryId(), good))) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }

    /** Calls for one issue only: a previous test's background work may still be finishing. */
    private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> issueRequests(String issueId) {
        return sentryIssueRequests().stream().filter(r -> r.getUrl().equals("/api/v1/sentry/issues/" + issueId))
                .toList();
    }
}
