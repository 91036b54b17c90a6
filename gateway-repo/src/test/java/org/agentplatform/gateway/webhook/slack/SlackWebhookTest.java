package org.agentplatform.gateway.webhook.slack;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.SlackSource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.VendorPayloads;
import org.agentplatform.gateway.support.VendorSigner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.agentplatform.gateway.support.VendorPayloads.FORM;
import static org.agentplatform.gateway.support.VendorPayloads.JSON_TYPE;
import static org.agentplatform.gateway.support.VendorPayloads.map;
import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest(transactional = false)
class SlackWebhookTest extends GatewayTestSupport {

    @Test
    void urlVerificationEchoesTheChallengeAndStoresNothing() {
        Response r = slack(VendorPayloads.raw(VendorPayloads.SLACK_URL_VERIFICATION), JSON_TYPE);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assertThat(deliveryCount()).isZero();
    }

    @Test
    void appMentionBecomesOneQueuedTaskInTheThreadAndGetsTheReaction() {
        Response r = slack(VendorPayloads.raw(VendorPayloads.SLACK_APP_MENTION), JSON_TYPE);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("outcome", "task_created");
        String taskId = (String) r.json().get("task_id");
        TaskQueueMessage m = parseMessage(queuedMessage(taskId, Duration.ofSeconds(10)));
        assertThat(m.getInputMessage()).isEqualTo("is it everything a river should be?");
        assertThat(m.getUserId()).isEqualTo("U061F7AUR");
        assertThat(m.getSessionId()).isEqualTo("slack:T123ABC456:C123ABC456:1515449522.000016");
        assertThat(m.getSource().getVendor()).isEqualTo(TaskSource.Vendor.SLACK);
        assertThat(m.getSource().getUrl()).isEqualTo("https://slack.com/archives/C123ABC456/p1515449522000016");
        SlackSource s = m.getSource().getSlack();
        assertThat(s.getChannel()).isEqualTo("C123ABC456");
        assertThat(s.getThreadTs()).isEqualTo("1515449522.000016");
        assertThat(s.getMessageTs()).isEqualTo("1515449522.000016");
        assertThat(s.getTeamId()).isEqualTo("T123ABC456");
        assertThat(s.getResponseUrl()).isNull();

        await("the reaction", Duration.ofSeconds(10), () -> reactionsFor(taskId).size() == 1);
        LoggedRequest reaction = reactionsFor(taskId).get(0);
        assertThat(reaction.getHeader("Authorization")).isEqualTo("Bearer " + GATEWAY_TOKEN);
        assertThat(reaction.getHeader("X-Correlation-Id")).isEqualTo(m.getCorrelationId());
        assertThat(reaction.getBodyAsString()).contains("\"channel\":\"C123ABC456\"")
                .contains("\"timestamp\":\"1515449522.000016\"").contains("\"name\":\"eyes\"");
    }

    @Test
    void aMentionInsideAThreadAnswersInThatThread() {
        byte[] body = VendorPayloads.derive(VendorPayloads.SLACK_APP_MENTION,
                p -> map(p, "event").put("thread_ts", "1515449000.000001"));

        TaskQueueMessage m = parseMessage(queuedMessageOf(slack(body, JSON_TYPE), Duration.ofSeconds(10)));

        assertThat(m.getSource().getSlack().getThreadTs()).isEqualTo("1515449000.000001");
        assertThat(m.getSource().getSlack().getMessageTs()).isEqualTo("1515449522.000016");
        assertThat(m.getSessionId()).endsWith(":1515449000.000001");
    }

    @Test
    void aRetryOfTheSameEventCreatesNothingNewAndIsStillAnswered200() {
        byte[] body = VendorPayloads.appMention("Ev0RETRY01", "<@U0LAN0Z89> summarise this thread");
        Response first = slack(body, JSON_TYPE);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        Response retry = slack(body, JSON_TYPE, ts, VendorSigner.slack(ts, body, SLACK_SECRET),
                Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).containsEntry("outcome", "duplicate")
                .containsEntry("task_id", first.json().get("task_id"));
        assertThat(taskCount()).isEqualTo(1);
        await("the first task queued", Duration.ofSeconds(10), () -> streamLength("agent:tasks:0") == 1);
        stays("no second task", Duration.ofMillis(500), () -> streamLength("agent:tasks:0") == 1);
    }

    @Test
    void messagesFromBotsAreIgnored() {
        byte[] body = VendorPayloads.derive(VendorPayloads.SLACK_APP_MENTION, p -> {
            p.put("event_id", "Ev0BOT0001");
            map(p, "event").put("bot_id", "B19LU7CSY");
        });

        Response r = slack(body, JSON_TYPE);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("outcome", "ignored");
        assertThat((String) r.json().get("text")).contains("bot");
        assertThat(taskCount()).isZero();
    }

    @Test
    void otherEventTypesAreIgnoredWithAReason() {
        byte[] body = VendorPayloads.derive(VendorPayloads.SLACK_APP_MENTION, p -> {
            p.put("event_id", "Ev0MSG0001");
            map(p, "event").put("type", "reaction_added");
        });

        Response r = slack(body, JSON_TYPE);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("outcome", "ignored");
        assertThat((String) r.json().get("text")).contains("reaction_added");
        assertThat(taskCount()).isZero();
    }

    @Test
    void slashCommandGetsAnEphemeralAnswerAndATaskWithItsResponseUrlButNoReaction() {
        Response r = slack(VendorPayloads.slashCommand("fix the flaky test", "13345224609.738474920.8088930838d88f008e0"),
                FORM);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json()).containsEntry("response_type", "ephemeral").containsEntry("outcome", "task_created");
        String taskId = (String) r.json().get("task_id");
        assertThat((String) r.json().get("text")).isEqualTo("On it: task " + taskId.substring(0, 8));
        TaskQueueMessage m = parseMessage(queuedMessage(taskId, Duration.ofSeconds(10)));
        assertThat(m.getInputMessage()).isEqualTo("fix the flaky test");
        assertThat(m.getUserId()).isEqualTo("U2147483697");
        SlackSource s = m.getSource().getSlack();
        assertThat(s.getChannel()).isEqualTo("C2147483705");
        assertThat(s.getTeamId()).isEqualTo("T0001");
        assertThat(s.getResponseUrl()).isEqualTo("https://hooks.slack.com/commands/1234/5678");
        assertThat(s.getMessageTs()).isNull();
        stays("no reaction for a slash command", Duration.ofMillis(500), () -> reactionsFor(taskId).isEmpty());
    }

    @Test
    void theSameSlashCommandTwiceMakesOneTask() {
        byte[] body = VendorPayloads.slashCommand("fix it", "1.2.abc");
        slack(body, FORM);
        Response again = slack(body, FORM);

        assertThat(again.json()).containsEntry("outcome", "duplicate");
        assertThat((String) again.json().get("text")).startsWith("Already on it: task ");
        assertThat(taskCount()).isEqualTo(1);
    }

    @Test
    void slashCommandWithoutTextGetsTheUsageAndNoTask() {
        Response r = slack(VendorPayloads.slashCommand("  ", "1.2.def"), FORM);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("response_type", "ephemeral").containsEntry("outcome", "ignored");
        assertThat((String) r.json().get("text")).isEqualTo(SlackEventInterpreter.USAGE);
        assertThat(taskCount()).isZero();
    }

    @Test
    void requestsOlderOrNewerThanFiveMinutesAreRefusedEvenWhenCorrectlySigned() {
        byte[] body = VendorPayloads.appMention("Ev0OLD0001", "<@U0LAN0Z89> do it");
        // the exact 300 s boundary is SlackSignatureTest's (fixed clock); over HTTP a timestamp 301 s ahead
        // becomes 300 s ahead when the server's second ticks during the request, so the newer probe
        // keeps a margin (an older one only ages)
        for (long offset : new long[] {-301, 310}) {
            String ts = String.valueOf(Instant.now().getEpochSecond() + offset);
            Response r = slack(body, JSON_TYPE, ts, VendorSigner.slack(ts, body, SLACK_SECRET), Map.of());

            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat((String) r.json().get("detail")).contains("5 minutes");
        }
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }

    @Test
    void badMissingOrTamperedSignaturesAreRefusedAndNothingIsStored() {
        byte[] body = VendorPayloads.appMention("Ev0BAD0001", "<@U0LAN0Z89> do it");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("do it", "rm it")
                .getBytes(StandardCharsets.UTF_8);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        String good = VendorSigner.slack(ts, body, SLACK_SECRET);

        assertThat(slack(body, JSON_TYPE, ts, null, Map.of()).status()).isEqualTo(401);
        assertThat(slack(body, JSON_TYPE, null, good, Map.of()).status()).isEqualTo(401);
        assertThat(slack(body, JSON_TYPE, ts, VendorSigner.slack(ts, body, "guess"), Map.of()).status()).isEqualTo(401);
        Response r = slack(tampered, JSON_TYPE, ts, good, Map.of());
        assertThat(r.status()).isEqualTo(401);
        assertThat((String) r.json().get("detail")).contains("SLACK_SIGNING_SECRET");
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }

    @Test
    void malformedJsonIsA400Problem() {
        Response r = slack("{not json".getBytes(StandardCharsets.UTF_8), JSON_TYPE);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(deliveryCount()).isZero();
    }

    /** This task's reactions only (Idempotency-Key task-<id>-reaction): other tests' work may still finish. */
    private java.util.List<LoggedRequest> reactionsFor(String taskId) {
        return slackReactionRequests().stream()
                .filter(r -> ("task-" + taskId + "-reaction").equals(r.getHeader("Idempotency-Key"))).toList();
    }
}
