package org.agentplatform.gateway.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lettuce.core.StreamMessage;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.messages.TaskQueueMessage;
import org.agentplatform.gateway.messages.TaskSource;
import org.agentplatform.gateway.queue.Outbox;
import org.agentplatform.gateway.store.DeliveryRow;
import org.agentplatform.gateway.store.TaskRow;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.agentplatform.gateway.support.GithubPayloads;
import org.agentplatform.gateway.support.Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.agentplatform.gateway.support.GithubPayloads.ISSUE_COMMENT_CREATED;
import static org.agentplatform.gateway.support.GithubPayloads.ISSUE_COMMENT_EDITED;
import static org.agentplatform.gateway.support.GithubPayloads.PING;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /webhooks/github through the real HTTP stack, database and Redis. */
@MicronautTest(transactional = false)
class GithubWebhookTest extends GatewayTestSupport {

    private static final String STREAM = "agent:tasks:0";
    private static final String UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    // ---- the happy path ---------------------------------------------------------------------------

    @Test
    void prCommentMentioningTheAgentBecomesAQueuedTaskAndGetsTheEyesReaction() throws Exception {
        String deliveryId = newDeliveryId();
        byte[] body = GithubPayloads.prComment("@agent please review this change");

        Response r = deliver("issue_comment", deliveryId, body);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json()).containsEntry("delivery_id", deliveryId).containsEntry("outcome", "task_created")
                .containsEntry("duplicate", false).containsEntry("reason", "@agent mentioned by Codertocat");
        String taskId = (String) r.json().get("task_id");
        String correlationId = (String) r.json().get("correlation_id");
        assertThat(taskId).matches(UUID_RE);
        assertThat(correlationId).matches(UUID_RE);
        assertThat(r.header("X-Correlation-Id")).isEqualTo(correlationId);

        // stored: one delivery, one task, in the same state the answer describes
        assertThat(taskCount()).isEqualTo(1);
        DeliveryRow delivery = deliveries.findByVendorAndDeliveryId("github", deliveryId).orElseThrow();
        assertThat(delivery.outcome()).isEqualTo("task_created");
        assertThat(delivery.taskId()).isEqualTo(taskId);
        assertThat(delivery.event()).isEqualTo("issue_comment");
        assertThat(delivery.hookId()).isEqualTo("292430182");

        // enqueued on agent:tasks:0, field "message", a valid TaskQueueMessage
        await("task on the stream", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
        List<StreamMessage<String, String>> entries = entries(STREAM);
        assertThat(entries.get(0).getBody()).containsOnlyKeys("message");
        String json = entries.get(0).getBody().get("message");
        assertThat(schemaErrors(json)).isEmpty();
        TaskQueueMessage m = parseMessage(json);
        assertThat(m.getTaskId()).isEqualTo(taskId);
        assertThat(m.getSessionId()).isEqualTo("github:Codertocat/Hello-World#1");
        assertThat(m.getUserId()).isEqualTo("Codertocat");
        assertThat(m.getInputMessage()).isEqualTo("@agent please review this change");
        assertThat(m.getAgentType()).isEqualTo("coding");
        assertThat(m.getModel()).isEqualTo("default");
        assertThat(m.getPriority()).isZero();
        assertThat(m.getCorrelationId()).isEqualTo(correlationId);
        assertThat(m.getTraceparent()).matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$");
        assertThat(m.getCreatedAt()).isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now());
        TaskSource source = m.getSource();
        assertThat(source.getVendor()).isEqualTo(TaskSource.Vendor.GITHUB);
        assertThat(source.getUrl()).isEqualTo(GithubPayloads.ISSUE_COMMENT_URL);
        GithubSource gh = source.getGithub();
        assertThat(gh.getOwner()).isEqualTo("Codertocat");
        assertThat(gh.getRepo()).isEqualTo("Hello-World");
        assertThat(gh.getNumber()).isEqualTo(1L);
        assertThat(gh.getCommentId()).isEqualTo(GithubPayloads.ISSUE_COMMENT_ID);
        assertThat(gh.getCommentType()).isEqualTo(GithubSource.CommentType.ISSUE_COMMENT);
        assertThat(gh.getIsPullRequest()).isTrue();

        await("task marked queued", Duration.ofSeconds(5),
                () -> TaskRow.QUEUED.equals(tasks.findById(taskId).orElseThrow().status()));
        TaskRow row = tasks.findById(taskId).orElseThrow();
        assertThat(row.enqueuedAt()).isNotNull();
        assertThat(row.streamEntryId()).isEqualTo(entries.get(0).getId());

        // the eyes reaction reached github-service with our token, the correlation id and the idempotency key
        String key = "delivery-" + deliveryId + "-eyes";
        await("eyes reaction", Duration.ofSeconds(10), () -> reactionRequests(key).size() == 1);
        LoggedRequest reaction = reactionRequests(key).get(0);
        assertThat(reaction.getUrl()).isEqualTo("/api/v1/github/comments/Codertocat/Hello-World/492700400/reactions");
        assertThat(reaction.getHeader("Authorization")).isEqualTo("Bearer " + GATEWAY_TOKEN);
        assertThat(reaction.getHeader("X-Correlation-Id")).isEqualTo(correlationId);
        assertThat(JSON.readValue(reaction.getBodyAsString(), Map.class))
                .isEqualTo(Map.of("content", "eyes", "comment_type", "issue_comment"));
        await("reaction recorded", Duration.ofSeconds(5),
                () -> TaskRow.REACTION_DONE.equals(tasks.findById(taskId).orElseThrow().reactionState()));
    }

    @Test
    void reviewCommentBecomesATaskOnThePullRequestAndReactsAsReviewComment() throws Exception {
        String deliveryId = newDeliveryId();
        Response r = deliver("pull_request_review_comment", deliveryId,
                GithubPayloads.reviewComment("Hey @Agent, can you simplify this line?"));

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "task_created");
        await("task on the stream", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
        TaskQueueMessage m = parseMessage(entries(STREAM).get(0).getBody().get("message"));
        assertThat(m.getSessionId()).isEqualTo("github:Codertocat/Hello-World#2");
        assertThat(m.getSource().getUrl()).isEqualTo(GithubPayloads.REVIEW_COMMENT_URL);
        GithubSource gh = m.getSource().getGithub();
        assertThat(gh.getNumber()).isEqualTo(GithubPayloads.PR_NUMBER);
        assertThat(gh.getCommentId()).isEqualTo(GithubPayloads.REVIEW_COMMENT_ID);
        assertThat(gh.getCommentType()).isEqualTo(GithubSource.CommentType.REVIEW_COMMENT);
        assertThat(gh.getIsPullRequest()).isTrue();

        String key = "delivery-" + deliveryId + "-eyes";
        await("eyes reaction", Duration.ofSeconds(10), () -> reactionRequests(key).size() == 1);
        LoggedRequest reaction = reactionRequests(key).get(0);
        assertThat(reaction.getUrl()).isEqualTo("/api/v1/github/comments/Codertocat/Hello-World/284312630/reactions");
        assertThat(JSON.readValue(reaction.getBodyAsString(), Map.class))
                .isEqualTo(Map.of("content", "eyes", "comment_type", "review_comment"));
    }

    @Test
    void issueCommentOnAPlainIssueIsNotAPullRequest() {
        Response r = deliver("issue_comment", newDeliveryId(), GithubPayloads.issueComment("@agent triage this"));
        assertThat(r.status()).isEqualTo(202);
        await("task on the stream", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
        TaskQueueMessage m = parseMessage(entries(STREAM).get(0).getBody().get("message"));
        assertThat(m.getSource().getGithub().getIsPullRequest()).isFalse();
    }

    @Test
    void validIncomingTraceparentIsCarriedOnTheTaskAndAnInvalidOneIsReplaced() {
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        deliver("issue_comment", newDeliveryId(), GithubPayloads.issueComment("@agent one"),
                null, Map.of("traceparent", incoming));
        deliver("issue_comment", newDeliveryId(), GithubPayloads.issueComment("@agent two"),
                null, Map.of("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
        await("two tasks on the stream", Duration.ofSeconds(10), () -> streamLength(STREAM) == 2);
        List<TaskQueueMessage> messages = entries(STREAM).stream()
                .map(e -> parseMessage(e.getBody().get("message"))).toList();
        assertThat(messages.get(0).getTraceparent()).isEqualTo(incoming);
        assertThat(messages.get(1).getTraceparent()).matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$")
                .doesNotContain("00000000000000000000000000000000");
    }

    @Test
    void theTasksTraceIdIsOnTheLinesOfItsRequestAndOfItsEnqueue() {
        Logger intake = (Logger) LoggerFactory.getLogger(DeliveryIntake.class);
        Logger outbox = (Logger) LoggerFactory.getLogger(Outbox.class);
        Level outboxLevel = outbox.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        intake.addAppender(lines);
        outbox.addAppender(lines);
        outbox.setLevel(Level.DEBUG); // "enqueued" is a DEBUG line, written on the after-answer thread
        try {
            // no incoming traceparent: the gateway starts the trace
            deliver("issue_comment", newDeliveryId(), GithubPayloads.issueComment("@agent traced"));
            await("task on the stream", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
            TaskQueueMessage m = parseMessage(entries(STREAM).get(0).getBody().get("message"));
            String traceId = m.getTraceparent().substring(3, 35);
            await("the enqueue line", Duration.ofSeconds(5), () -> lines.list.stream()
                    .anyMatch(e -> e.getLoggerName().equals(Outbox.class.getName())));
            List<ILoggingEvent> ofTheTask = lines.list.stream()
                    .filter(e -> e.getFormattedMessage().contains(m.getTaskId())).toList();
            assertThat(ofTheTask).extracting(ILoggingEvent::getLoggerName)
                    .contains(DeliveryIntake.class.getName(), Outbox.class.getName());
            assertThat(ofTheTask).allSatisfy(e -> {
                assertThat(e.getMDCPropertyMap()).containsEntry("trace_id", traceId);
                assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", m.getCorrelationId());
            });
        } finally {
            intake.detachAppender(lines);
            outbox.detachAppender(lines);
            outbox.setLevel(outboxLevel);
        }
    }

    @Override
    protected Response deliver(String event, String deliveryId, byte[] body, String signature,
                               Map<String, String> extraHeaders) {
        return super.deliver(event, deliveryId, body, signature == null ? Signer.sign(body, SECRET) : signature,
                extraHeaders);
    }

    // ---- redelivery -------------------------------------------------------------------------------

    @Test
    void redeliveryRepeatsTheFirstAnswerAndCreatesNothing() {
        String deliveryId = newDeliveryId();
        byte[] body = GithubPayloads.prComment("@agent please review");
        Response first = deliver("issue_comment", deliveryId, body);
        await("first task enqueued", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
        String key = "delivery-" + deliveryId + "-eyes";
        await("first reaction", Duration.ofSeconds(10), () -> reactionRequests(key).size() == 1);

        Response again = deliver("issue_comment", deliveryId, body);

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json()).containsEntry("duplicate", true)
                .containsEntry("outcome", "task_created")
                .containsEntry("task_id", first.json().get("task_id"))
                .containsEntry("correlation_id", first.json().get("correlation_id"))
                .containsEntry("reason", first.json().get("reason"));
        assertThat(first.json()).containsEntry("duplicate", false);
        stays("nothing new is created", Duration.ofMillis(1500), () ->
                taskCount() == 1 && deliveryCount() == 1 && streamLength(STREAM) == 1
                        && reactionRequests(key).size() == 1);
    }

    @Test
    void simultaneousCopiesOfOneDeliveryCreateOneTask() throws Exception {
        String deliveryId = newDeliveryId();
        byte[] body = GithubPayloads.prComment("@agent once please");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> deliver("issue_comment", deliveryId, body)));
            }
            Set<Object> taskIds = new java.util.HashSet<>();
            int firsts = 0;
            for (var f : answers) {
                Response r = f.get();
                assertThat(r.status()).isEqualTo(202);
                taskIds.add(r.json().get("task_id"));
                firsts += Boolean.FALSE.equals(r.json().get("duplicate")) ? 1 : 0;
            }
            assertThat(taskIds).hasSize(1);
            assertThat(firsts).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        await("enqueued", Duration.ofSeconds(10), () -> streamLength(STREAM) == 1);
        stays("exactly one of everything", Duration.ofMillis(1000), () -> taskCount() == 1 && deliveryCount() == 1
                && streamLength(STREAM) == 1 && reactionRequests("delivery-" + deliveryId + "-eyes").size() <= 1);
    }

    @Test
    void redeliveredPingIsStill200() {
        String deliveryId = newDeliveryId();
        deliver("ping", deliveryId, GithubPayloads.raw(PING));
        Response again = deliver("ping", deliveryId, GithubPayloads.raw(PING));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).containsEntry("outcome", "pong").containsEntry("duplicate", true);
        assertThat(deliveryCount()).isEqualTo(1);
    }

    // ---- signature --------------------------------------------------------------------------------

    @Test
    void missingSignatureIs401AndNothingIsStored() {
        byte[] body = GithubPayloads.prComment("@agent do it");
        Response r = super.deliver("issue_comment", newDeliveryId(), body, null, Map.of());
        assertRefused(r, "X-Hub-Signature-256 is missing");
    }

    @Test
    void wrongSecretIs401AndNothingIsStored() {
        byte[] body = GithubPayloads.prComment("@agent do it");
        Response r = super.deliver("issue_comment", newDeliveryId(), body, Signer.sign(body, "not the secret"), Map.of());
        assertRefused(r, "does not match the body: check GITHUB_WEBHOOK_SECRET");
    }

    @Test
    void signatureOfADifferentBodyIs401() {
        byte[] signed = GithubPayloads.prComment("@agent harmless");
        byte[] sent = GithubPayloads.prComment("@agent delete the repository");
        Response r = super.deliver("issue_comment", newDeliveryId(), sent, Signer.sign(signed, SECRET), Map.of());
        assertRefused(r, "does not match the body");
    }

    @Test
    void bodyChangedByOneByteAfterSigningIs401() {
        byte[] body = GithubPayloads.prComment("@agent harmless");
        String signature = Signer.sign(body, SECRET);
        byte[] tampered = body.clone();
        tampered[tampered.length - 2] = (byte) ' ';
        Response r = super.deliver("issue_comment", newDeliveryId(), tampered, signature, Map.of());
        assertRefused(r, "does not match the body");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uppercase-hex", "uppercase-prefix", "sha1-prefix", "no-prefix", "space-after-prefix",
            "truncated", "empty"})
    void signatureTricksAre401(String trick) {
        byte[] body = GithubPayloads.prComment("@agent do it");
        String good = Signer.sign(body, SECRET);
        String hex = good.substring("sha256=".length());
        String signature = switch (trick) {
            case "uppercase-hex" -> "sha256=" + hex.toUpperCase();
            case "uppercase-prefix" -> "SHA256=" + hex;
            case "sha1-prefix" -> "sha1=" + hex;
            case "no-prefix" -> hex;
            case "space-after-prefix" -> "sha256= " + hex;
            case "truncated" -> good.substring(0, good.length() - 2);
            case "empty" -> "";
            default -> throw new IllegalArgumentException(trick);
        };
        Response r = super.deliver("issue_comment", newDeliveryId(), body, signature, Map.of());
        assertThat(r.status()).as(trick).isEqualTo(401);
        assertNothingStoredOrQueued();
    }

    @Test
    void signatureIsCheckedBeforeAnythingElse() {
        // unsigned garbage without GitHub headers: still 401, not 400
        Response r = send("POST", "/webhooks/github", "not json".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
        assertRefused(r, "X-Hub-Signature-256 is missing");
    }

    private void assertRefused(Response r, String detailPart) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json()).containsEntry("status", 401).containsEntry("title", "Unauthorized");
        assertThat((String) r.json().get("detail")).contains(detailPart).doesNotContain(SECRET);
        assertNothingStoredOrQueued();
    }

    private void assertNothingStoredOrQueued() {
        stays("nothing stored, queued or reacted", Duration.ofMillis(700), () ->
                taskCount() == 0 && deliveryCount() == 0 && streamLength(STREAM) == 0 && reactionRequests().isEmpty());
    }

    // ---- what does not become a task --------------------------------------------------------------

    @Test
    void pingAnswers200Pong() {
        String deliveryId = newDeliveryId();
        Response r = deliver("ping", deliveryId, GithubPayloads.raw(PING));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsEntry("delivery_id", deliveryId).containsEntry("outcome", "pong")
                .containsEntry("duplicate", false).containsEntry("reason", "ping received");
        assertThat(deliveries.findByVendorAndDeliveryId("github", deliveryId).orElseThrow().outcome()).isEqualTo("pong");
        assertThat(taskCount()).isZero();
    }

    @Test
    void githubsOwnExampleCommentDoesNotMentionTheAgentSoItIsIgnored() {
        Response r = deliver("issue_comment", newDeliveryId(), GithubPayloads.raw(ISSUE_COMMENT_CREATED));
        assertIgnored(r, "the comment does not mention @agent");
    }

    @Test
    void editedCommentIsIgnoredEvenWithAMention() {
        byte[] body = GithubPayloads.derive(ISSUE_COMMENT_EDITED, GithubPayloads.commentBody("@agent now please"));
        assertIgnored(deliver("issue_comment", newDeliveryId(), body),
                "issue_comment action 'edited' does not create tasks (only 'created')");
    }

    @Test
    void otherEventsAreIgnoredWithAReason() {
        byte[] push = "{\"ref\":\"refs/heads/main\",\"commits\":[]}".getBytes(StandardCharsets.UTF_8);
        assertIgnored(deliver("push", newDeliveryId(), push), "event 'push' does not create tasks");
    }

    @Test
    void botCommentsNeverTrigger() {
        byte[] body = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("@agent I am a bot")
                .andThen(GithubPayloads.commentAuthor("dependabot[bot]", "Bot")));
        assertIgnored(deliver("issue_comment", newDeliveryId(), body), "comment by a bot (dependabot[bot])");
    }

    @Test
    void theAgentsOwnAnswerNeverTriggersEvenWhenItQuotesTheTrigger() {
        byte[] body = GithubPayloads.issueComment("<!-- agent-platform task=123 -->\nYou asked @agent to review: done.");
        assertIgnored(deliver("issue_comment", newDeliveryId(), body),
                "comment written by the agent (it carries the agent-platform marker)");
    }

    @Test
    void longerHandleIsNotAMention() {
        assertIgnored(deliver("issue_comment", newDeliveryId(), GithubPayloads.issueComment("thanks @agentsmith")),
                "the comment does not mention @agent");
    }

    private void assertIgnored(Response r, String reason) {
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json()).containsEntry("outcome", "ignored").containsEntry("reason", reason)
                .containsEntry("duplicate", false);
        assertThat(r.json().get("task_id")).isNull();
        assertThat(deliveryCount()).isEqualTo(1);
        stays("nothing queued", Duration.ofMillis(500), () ->
                taskCount() == 0 && streamLength(STREAM) == 0 && reactionRequests().isEmpty());
    }

    // ---- bad requests -----------------------------------------------------------------------------

    @Test
    void malformedJsonWithAValidSignatureIs400AndNothingIsStored() {
        byte[] body = "{\"action\": \"created\", \"comment\": ".getBytes(StandardCharsets.UTF_8);
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json()).containsEntry("status", 400).containsEntry("detail", "The body is not valid JSON");
        assertThat(deliveryCount()).isZero();
        assertThat(taskCount()).isZero();
    }

    @Test
    void missingEventHeaderIs400NamingIt() {
        byte[] body = GithubPayloads.prComment("@agent x");
        Response r = super.deliver(null, newDeliveryId(), body, Signer.sign(body, SECRET), Map.of());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("detail", "X-GitHub-Event: is required");
        assertThat(r.json().get("invalid_params"))
                .isEqualTo(List.of(Map.of("name", "X-GitHub-Event", "reason", "is required")));
        assertThat(deliveryCount()).isZero();
    }

    @Test
    void commentPayloadWithoutRepositoryIs400() {
        byte[] body = GithubPayloads.derive(ISSUE_COMMENT_CREATED,
                GithubPayloads.commentBody("@agent hi").andThen(p -> p.remove("repository")));
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.status()).isEqualTo(400);
        assertThat((String) r.json().get("detail")).startsWith("repository:");
        assertThat(deliveryCount()).isZero();
    }

    @Test
    void formEncodedDeliveryIs415() {
        byte[] body = ("payload=" + new String(GithubPayloads.prComment("@agent x"), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        Response r = super.deliver("issue_comment", newDeliveryId(), body, Signer.sign(body, SECRET),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(r.status()).isEqualTo(415);
        assertThat((String) r.json().get("detail")).contains("application/json");
        assertThat(deliveryCount()).isZero();
    }

    @Test
    void bodyOverTheDefault25MiBLimitIs413AndNothingIsStored() {
        byte[] body = new byte[25 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        Response r = deliver("issue_comment", newDeliveryId(), body);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json()).containsEntry("title", "Request Entity Too Large")
                .containsEntry("detail", "The body is 26214401 bytes; the limit is 26214400");
        assertThat(deliveryCount()).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Validates against the contract's JSON Schema (unpacked from the contracts artifact). */
    static Set<ValidationMessage> schemaErrors(String json) throws Exception {
        try (InputStream schema = GithubWebhookTest.class.getResourceAsStream("/schemas/TaskQueueMessage.schema.json")) {
            JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
            return s.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        }
    }
}
