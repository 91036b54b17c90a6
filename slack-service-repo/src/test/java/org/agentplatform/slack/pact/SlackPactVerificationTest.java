package org.agentplatform.slack.pact;

import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the consumers' pacts against slack-service: {@code ./meta.sh test} runs it with
 * {@code -Dpactfolder.path=.meta/pacts} (or a broker via {@code -Dpactbroker.url}); in a plain
 * {@code mvn verify} the folder is empty and nothing is verified (the samples are, by
 * {@link SampleConsumerPactsTest}).
 */
@MicronautTest(transactional = false)
@Provider("slack-service")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify
class SlackPactVerificationTest extends SlackProviderStates {

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context, ClassicHttpRequest request) {
        if (context != null) {
            verifyWithServiceToken(context, request);
        }
    }
}
