package org.agentplatform.gateway.pact.sample;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junit5.MessageTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.pact.verify.TaskMessages;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

/**
 * Runs the gateway's message-pact verification in every build against the sample agent pact in
 * src/test/resources/sample-pacts (the shape agent-repo's consumer test writes), so the provider
 * side is proven before any real pact is collected. No {@code @IgnoreNoPactsToVerify}: if the sample
 * went missing this fails.
 */
@MicronautTest(transactional = false)
@Provider("gateway")
@PactFolder("src/test/resources/sample-pacts")
class SampleAgentPactVerificationTest extends GatewayTestSupport {

    @BeforeEach
    void target(PactVerificationContext context) {
        context.setTarget(new MessageTestTarget(List.of(getClass().getPackageName())));
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context) {
        context.verifyInteraction();
    }

    @PactVerifyProvider("a task for a GitHub PR comment")
    public MessageAndMetadata taskForGithubPrComment() {
        return TaskMessages.forGithubPrComment(this);
    }

    @PactVerifyProvider("a task for a Slack app_mention")
    public MessageAndMetadata taskForSlackAppMention() {
        return TaskMessages.forSlackAppMention(this);
    }

    @PactVerifyProvider("a task for a Slack slash command")
    public MessageAndMetadata taskForSlackSlashCommand() {
        return TaskMessages.forSlackSlashCommand(this);
    }

    @PactVerifyProvider("a task for a Jira issue labelled agent")
    public MessageAndMetadata taskForJiraIssueLabelled() {
        return TaskMessages.forJiraIssueLabelled(this);
    }

    @PactVerifyProvider("a task for a Sentry issue")
    public MessageAndMetadata taskForSentryIssue() {
        return TaskMessages.forSentryIssue(this);
    }
}
