package org.agentplatform.gateway.webhook.jira;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.VendorPayloads;
import org.agentplatform.gateway.support.VendorSigner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.agentplatform.gateway.support.VendorPayloads.JIRA_ISSUE_UPDATED;
import static org.agentplatform.gateway.support.VendorPayloads.map;
import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class JiraWebhookTest extends GatewayTestSupport {

    static final String MIA = "5b10a2844c20165700ede21g";

    @Test
    void issueCreatedWithTheLabelBecomesATaskWithSummaryAndDescription() {
        Response r = jira(VendorPayloads.jiraIssueCreated(List.of("agent")), newDeliveryId());

        assertThat(r.status()).isEqualTo(202);
        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getInputMessage()).isEqualTo("ED-1: Checkout fails for guest users\n\n"
                + "Guests get a 500 on the last step.\nSee the attached log.");
        assertThat(m.getSessionId()).isEqualTo("jira:ED-1");
        assertThat(m.getUserId()).isEqualTo(MIA);
        assertThat(m.getSource().getVendor()).isEqualTo(TaskSource.Vendor.JIRA);
        assertThat(m.getSource().getUrl()).isEqualTo("https://your-domain.atlassian.net/browse/ED-1");
        assertThat(m.getSource().getJira().getIssueKey()).isEqualTo("ED-1");
        assertThat(m.getSource().getJira().getCommentId()).isNull();
    }

    @Test
    void issueCreatedWithoutTheLabelIsIgnored() {
        Response r = jira(VendorPayloads.jiraIssueCreated(List.of("backend")), newDeliveryId());

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "ignored");
        assertThat((String) r.json().get("reason")).contains("'agent'");
        assertThat(taskCount()).isZero();
    }

    @Test
    void updateThatAddsTheLabelBecomesATask() {
        Response r = jira(VendorPayloads.raw(JIRA_ISSUE_UPDATED), newDeliveryId());

        assertThat(r.json()).containsEntry("outcome", "task_created");
        assertThat((String) r.json().get("reason")).contains("added");
        assertThat(parseMessage(queuedMessageOf(r, Duration.ofSeconds(10))).getSource().getJira().getIssueKey())
                .isEqualTo("ED-1");
    }

    @Test
    void editingAnIssueThatAlreadyHasTheLabelCreatesNoTask() {
        byte[] summaryEdit = VendorPayloads.derive(JIRA_ISSUE_UPDATED, p -> map(p, "changelog").put("items",
                List.of(Map.of("field", "summary", "fieldtype", "jira", "fromString", "Checkout fails",
                        "toString", "Checkout fails for guest users"))));
        byte[] otherLabelAdded = VendorPayloads.derive(JIRA_ISSUE_UPDATED, p -> map(p, "changelog").put("items",
                List.of(Map.of("field", "labels", "fieldtype", "jira", "fromString", "agent",
                        "toString", "agent backend"))));

        for (byte[] body : List.of(summaryEdit, otherLabelAdded)) {
            Response r = jira(body, newDeliveryId());
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json()).containsEntry("outcome", "ignored");
        }
        assertThat(taskCount()).isZero();
    }

    @Test
    void commentMentioningTheTriggerBecomesATaskForTheComment() {
        Response r = jira(VendorPayloads.raw(VendorPayloads.JIRA_COMMENT_CREATED), newDeliveryId());

        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getInputMessage()).isEqualTo("@agent can you find out why guests get a 500 here?");
        assertThat(m.getUserId()).isEqualTo(MIA);
        assertThat(m.getSource().getJira().getIssueKey()).isEqualTo("ED-1");
        assertThat(m.getSource().getJira().getCommentId()).isEqualTo("10010");
        assertThat(m.getSource().getUrl()).isEqualTo("https://your-domain.atlassian.net/browse/ED-1?focusedCommentId=10010");
    }

    @Test
    void adfCommentMentioningTheBotAccountBecomesATask() {
        Response r = jira(VendorPayloads.jiraComment(VendorPayloads.adfMention(JIRA_BOT, "please triage"), MIA),
                newDeliveryId());

        TaskQueueMessage m = parseMessage(queuedMessageOf(r, Duration.ofSeconds(10)));
        assertThat(m.getInputMessage()).isEqualTo("@Agent please triage");
    }

    @Test
    void wikiMentionOfTheBotAccountTriggersButCommentsByTheBotNeverDo() {
        Response mention = jira(VendorPayloads.jiraComment("[~accountid:" + JIRA_BOT + "] have a look", MIA),
                newDeliveryId());
        Response own = jira(VendorPayloads.jiraComment("@agent I am on it", JIRA_BOT), newDeliveryId());
        Response plain = jira(VendorPayloads.jiraComment("no mention here", MIA), newDeliveryId());

        assertThat(mention.json()).containsEntry("outcome", "task_created");
        assertThat(own.json()).containsEntry("outcome", "ignored");
        assertThat((String) own.json().get("reason")).contains("agent's own account");
        assertThat(plain.json()).containsEntry("outcome", "ignored");
        assertThat(taskCount()).isEqualTo(1);
    }

    @Test
    void redeliveryWithTheSameIdentifierOrWithoutOneButTheSameBodyCreatesNothing() {
        byte[] body = VendorPayloads.raw(JIRA_ISSUE_UPDATED);
        String id = newDeliveryId();
        jira(body, id);
        Response again = jira(body, id);
        assertThat(again.json()).containsEntry("duplicate", true).containsEntry("outcome", "task_created");

        byte[] other = VendorPayloads.raw(VendorPayloads.JIRA_COMMENT_CREATED);
        jira(other, null);
        Response sameBody = jira(other, null);
        assertThat(sameBody.json()).containsEntry("duplicate", true);
        assertThat(taskCount()).isEqualTo(2);
    }

    @Test
    void unknownEventsAreIgnoredWithAReason() {
        byte[] body = VendorPayloads.derive(JIRA_ISSUE_UPDATED, p -> p.put("webhookEvent", "jira:issue_deleted"));

        Response r = jira(body, newDeliveryId());

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "ignored");
        assertThat((String) r.json().get("reason")).contains("jira:issue_deleted");
    }

    @Test
    void badOrMissingSignatureIs401AndNothingIsStored() {
        byte[] body = VendorPayloads.raw(JIRA_ISSUE_UPDATED);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("ED-1", "ED-2").getBytes(StandardCharsets.UTF_8);
        String good = "sha256=" + VendorSigner.hex(body, JIRA_SECRET);

        for (Response r : List.of(jira(body, newDeliveryId(), null),
                jira(body, newDeliveryId(), "sha256=" + VendorSigner.hex(body, "guess")),
                jira(tampered, newDeliveryId(), good),
                jira(body, newDeliveryId(), VendorSigner.hex(body, JIRA_SECRET)))) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }
}
