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
 * Message pact agent (consumer) ← gateway (provider): the TaskQueueMessage the gateway puts on
 * agent:tasks:&lt;p&gt; for a GitHub PR comment. Values are matched by type or pattern (only the
 * vendor is exact); the bytes go through the agent's real message parser.
 */
@PactConsumerTest
@PactTestFor(providerName = "gateway", providerType = ProviderType.ASYNCH, pactVersion = PactSpecVersion.V3)
class GatewayTaskMessagePactTest {
    static final String ID = "^[A-Za-z0-9._:-]{1,64}$";
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
