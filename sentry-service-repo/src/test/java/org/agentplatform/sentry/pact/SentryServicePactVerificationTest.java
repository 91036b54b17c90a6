package org.agentplatform.sentry.pact;

import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verifies the consumers' pacts (gateway, agent) against sentry-service. {@code ./meta.sh test}
 * runs it with {@code -Dpactfolder.path=.meta/pacts}; alone it finds no pacts and passes.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Provider("sentry-service")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify
class SentryServicePactVerificationTest extends SentryProviderStates {

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context, ClassicHttpRequest request) {
        if (context != null) {
            authorize(request);
            context.verifyInteraction();
        }
    }
}
