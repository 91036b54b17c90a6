package org.agentplatform.agent.pact;

import au.com.dius.pact.consumer.MessagePactBuilder;
import au.com.dius.pact.consumer.dsl.DslPart;
import au.com.dius.pact.consumer.dsl.PactDslJsonBody;
import au.com.dius.pact.consumer.junit5.PactConsumerTest;
import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.consumer.junit5.ProviderType;
import au.com.dius.pact.core.model.PactSpecVersion;
import au.com.dius.pact.core.model.annotations.Pact;
import au.com.dius.pact.core.model.messaging.Message;
import au.com.dius.pact.core.model.messaging.MessagePact;
import io.micronaut.context.ApplicationContext;
import org.agentplatform.agent.answer.AnswerPosters;
import org.agentplatform.agent.answer.GithubAnswerPoster;
import org.agentplatform.agent.answer.JiraAnswerPoster;
import org.agentplatform.agent.answer.SentryAnswerPoster;
import org.agentplatform.agent.answer.SlackAnswerPoster;
import org.agentplatform.agent.messages.SlackSource;
import org.agentplatform.agent.messages.GithubSource;
import org.agentplatform.agent.messages.TaskQueueMessage;
import org.agentplatform.agent.messages.TaskSource;
import org.agentplatform.agent.queue.TaskMessageCodec;
import org.agentplatform.agent.support.TestInfra;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message pact agent (consumer) ← gateway (provider): the TaskQueueMessages the gateway puts on
 * agent:tasks:&lt;p&gt; for a GitHub PR comment, a Slack app_mention, a Slack slash command, a Jira
 * issue labelled agent and a Sentry issue. Values are matched by type or pattern (only the
 * vendor is exact); the bytes go through the agent's real message parser.
 */
@PactConsumerTest
@PactTestFor(providerName = "gateway", providerType = ProviderType.ASYNCH, pactVersion = PactSpecVersion.V3)
class GatewayTaskMessagePactTest {
    static final String ID = "^[A-Za-z0-9._:-]{1,64}$";
    static final String SLACK_TS = "^[0-9]{1,16}\\.[0-9]{1,8}$";
    static final String RFC3339 = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$";

    @Pact(consumer = "agent")
    MessagePact githubPrCommentTask(MessagePactBuilder builder) {
        DslPart body = new PactDslJsonBody()
                .stringMatcher("task_id", ID, "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11")
                .stringType("session_id", "github:octo/hello#7")
                .stringType("user_id", "octocat")
                .stringType("input_message", "@agent please review this change")
                .stringType("agent_type", "coding")
                .stringType("model", "default")
                .integerType("priority", 0)
                .stringMatcher("created_at", RFC3339, "2026-11-26T10:00:00Z")
                .stringMatcher("correlation_id", ID, "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a")
                .object("source")
                    .stringValue("vendor", "github")
                    .stringType("url", "https://github.com/octo/hello/pull/7#issuecomment-1234567")
                    .object("github")
                        .stringType("owner", "octo")
                        .stringType("repo", "hello")
                        .integerType("number", 7)
                        .integerType("comment_id", 1234567L)
                        .stringMatcher("comment_type", "issue_comment|review_comment", "issue_comment")
                        .booleanType("is_pull_request", true)
                    .closeObject()
                .closeObject();
        return builder.expectsToReceive("a task for a GitHub PR comment").withContent(body).toPact();
    }

    @Pact(consumer = "agent")
    MessagePact slackAppMentionTask(MessagePactBuilder builder) {
        PactDslJsonBody body = common("slack:C0123456789:1700000000.000100", "U2147483697",
                "<@U0AGENT> summarise this thread", "coding");
        body.object("source")
                .stringValue("vendor", "slack")
                .object("slack")
                    .stringMatcher("channel", "^[CGD][A-Z0-9]{1,31}$", "C0123456789")
                    .stringMatcher("thread_ts", SLACK_TS, "1700000000.000100")
                    .stringMatcher("message_ts", SLACK_TS, "1700000000.000100")
                    .stringType("team_id", "T0001")
                .closeObject()
            .closeObject();
        return builder.expectsToReceive("a task for a Slack app_mention").withContent(body).toPact();
    }

    @Pact(consumer = "agent")
    MessagePact slackSlashCommandTask(MessagePactBuilder builder) {
        PactDslJsonBody body = common("slack:C0123456789", "U2147483697", "fix the flaky test", "coding");
        body.object("source")
                .stringValue("vendor", "slack")
                .object("slack")
                    .stringMatcher("channel", "^[CGD][A-Z0-9]{1,31}$", "C0123456789")
                    .stringType("team_id", "T0001")
                    .stringMatcher("response_url", "^https://.+", "https://hooks.slack.com/commands/T0001/1234/abcd")
                .closeObject()
            .closeObject();
        return builder.expectsToReceive("a task for a Slack slash command").withContent(body).toPact();
    }

    @Pact(consumer = "agent")
    MessagePact jiraIssueLabelledTask(MessagePactBuilder builder) {
        PactDslJsonBody body = common("jira:PROJ-123", "5b10a2844c20165700ede21g",
                "Checkout fails for EU users\n\nSteps: add an EU VAT id, pay.", "coding");
        body.object("source")
                .stringValue("vendor", "jira")
                .object("jira")
                    .stringMatcher("issue_key", "^[A-Z][A-Z0-9_]{0,30}-[1-9][0-9]{0,15}$", "PROJ-123")
                .closeObject()
            .closeObject();
        return builder.expectsToReceive("a task for a Jira issue labelled agent").withContent(body).toPact();
    }

    @Pact(consumer = "agent")
    MessagePact sentryIssueTask(MessagePactBuilder builder) {
        PactDslJsonBody body = common("sentry:1234567890", "sentry",
                "Triage this Sentry issue: TypeError: Cannot read properties of undefined (reading 'customer')", "triage");
        body.object("source")
                .stringValue("vendor", "sentry")
                .object("sentry")
                    .stringMatcher("issue_id", "^[0-9]{1,20}$", "1234567890")
                    .stringType("project", "backend")
                    .stringType("organization", "acme")
                .closeObject()
            .closeObject();
        return builder.expectsToReceive("a task for a Sentry issue").withContent(body).toPact();
    }

    /** What every task carries, whatever its source: ids and times by type or pattern. */
    private static PactDslJsonBody common(String sessionId, String userId, String input, String agentType) {
        return (PactDslJsonBody) new PactDslJsonBody()
                .stringMatcher("task_id", ID, "7d0c6e8e-5b0e-4f3b-9d0a-2b5c1c9e6f11")
                .stringType("session_id", sessionId)
                .stringType("user_id", userId)
                .stringType("input_message", input)
                .stringType("agent_type", agentType)
                .stringType("model", "default")
                .integerType("priority", 0)
                .stringMatcher("created_at", RFC3339, "2026-11-26T10:00:00Z")
                .stringMatcher("correlation_id", ID, "3f1c2a9e-8d47-4b8e-9a43-1f6f0e1e2b7a");
    }

    @Test
    @PactTestFor(pactMethod = "slackAppMentionTask")
    void aSlackMentionIsAnsweredInItsThreadWithAProgressMessage(List<Message> messages) throws Exception {
        try (ApplicationContext ctx = context()) {
            TaskQueueMessage msg = ctx.getBean(TaskMessageCodec.class).parse(messages.get(0).contentsAsBytes());
            assertThat(msg.getSource().getVendor()).isEqualTo(TaskSource.Vendor.SLACK);
            SlackSource slack = msg.getSource().getSlack();
            assertThat(slack.getChannel()).isNotBlank();
            assertThat(slack.getThreadTs()).matches(SLACK_TS);
            assertThat(slack.getResponseUrl()).isNull();
            SlackAnswerPoster poster = (SlackAnswerPoster) ctx.getBean(AnswerPosters.class).forVendor("slack").orElseThrow();
            assertThat(poster.supportsProgress(msg)).as("a thread takes a progress message").isTrue();
        }
    }

    @Test
    @PactTestFor(pactMethod = "slackSlashCommandTask")
    void aSlashCommandIsAnsweredThroughItsResponseUrlWithoutProgress(List<Message> messages) throws Exception {
        try (ApplicationContext ctx = context()) {
            TaskQueueMessage msg = ctx.getBean(TaskMessageCodec.class).parse(messages.get(0).contentsAsBytes());
            assertThat(msg.getSource().getVendor()).isEqualTo(TaskSource.Vendor.SLACK);
            assertThat(msg.getSource().getSlack().getResponseUrl()).startsWith("https://");
            SlackAnswerPoster poster = (SlackAnswerPoster) ctx.getBean(AnswerPosters.class).forVendor("slack").orElseThrow();
            assertThat(poster.supportsProgress(msg)).as("a response_url takes no progress message").isFalse();
        }
    }

    @Test
    @PactTestFor(pactMethod = "jiraIssueLabelledTask")
    void aJiraTaskIsAnsweredOnItsIssue(List<Message> messages) throws Exception {
        try (ApplicationContext ctx = context()) {
            TaskQueueMessage msg = ctx.getBean(TaskMessageCodec.class).parse(messages.get(0).contentsAsBytes());
            assertThat(msg.getSource().getVendor()).isEqualTo(TaskSource.Vendor.JIRA);
            assertThat(msg.getSource().getJira().getIssueKey()).matches("^[A-Z][A-Z0-9_]{0,30}-[1-9][0-9]{0,15}$");
            assertThat(ctx.getBean(AnswerPosters.class).forVendor("jira")).containsInstanceOf(JiraAnswerPoster.class);
        }
    }

    @Test
    @PactTestFor(pactMethod = "sentryIssueTask")
    void aSentryTaskIsAnsweredWithANoteOnItsIssue(List<Message> messages) throws Exception {
        try (ApplicationContext ctx = context()) {
            TaskQueueMessage msg = ctx.getBean(TaskMessageCodec.class).parse(messages.get(0).contentsAsBytes());
            assertThat(msg.getSource().getVendor()).isEqualTo(TaskSource.Vendor.SENTRY);
            assertThat(msg.getSource().getSentry().getIssueId()).matches("^[0-9]{1,20}$");
            assertThat(ctx.getBean(AnswerPosters.class).forVendor("sentry")).containsInstanceOf(SentryAnswerPoster.class);
        }
    }

    private static ApplicationContext context() {
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("agent.consumer-enabled", "false");
        return ApplicationContext.run(props);
    }

    @Test
    @PactTestFor(pactMethod = "githubPrCommentTask")
    void theAgentParsesTheTaskAndAnswersItOnThePullRequest(List<Message> messages) throws Exception {
        byte[] bytes = messages.get(0).contentsAsBytes();
        Map<String, Object> props = new HashMap<>(TestInfra.properties());
        props.put("agent.consumer-enabled", "false");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            TaskQueueMessage msg = ctx.getBean(TaskMessageCodec.class).parse(bytes);

            assertThat(msg.getTaskId()).matches(ID);
            assertThat(msg.getCorrelationId()).isNotBlank();
            assertThat(msg.getCreatedAt()).isNotNull();
            assertThat(msg.getSource().getVendor()).isEqualTo(TaskSource.Vendor.GITHUB);
            GithubSource gh = msg.getSource().getGithub();
            assertThat(gh.getIsPullRequest()).isTrue();
            assertThat(gh.getNumber()).isPositive();
            assertThat(gh.getCommentType()).isEqualTo(GithubSource.CommentType.ISSUE_COMMENT);
            // routed to the GitHub answer poster (which answers PRs with the seed endpoint)
            assertThat(ctx.getBean(AnswerPosters.class).forVendor(msg.getSource().getVendor().value()))
                    .containsInstanceOf(GithubAnswerPoster.class);
        }
    }
}
