package org.agentplatform.gateway.pact.verify;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junit5.MessageTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Consumer;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

/**
 * Message-pact provider verification: the gateway produces the TaskQueueMessages its consumers
 * (the agent) expect. Pacts come from {@code -Dpactfolder.path} (./meta.sh test passes the
 * collected pacts); without one there is nothing to verify and the test passes
 * ({@code target/no-pacts}). {@code SampleAgentPactVerificationTest} runs the same verification
 * against the sample agent pact kept in this repo.
 */
@MicronautTest(transactional = false)
@Provider("gateway")
@Consumer("agent")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify(ignoreIoErrors = "true")
class GatewayMessagePactVerificationTest extends GatewayTestSupport {

    @BeforeEach
    void target(@Nullable PactVerificationContext context) {
        if (context != null) {
            // only this package: the sample verification declares the same producer method
            context.setTarget(new MessageTestTarget(List.of(getClass().getPackageName())));
        }
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(@Nullable PactVerificationContext context) {
        if (context != null) {
            context.verifyInteraction();
        }
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
