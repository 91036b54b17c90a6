package org.agentplatform.sentry.pact;

import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the provider verification on the sample consumer pacts kept in this repo
 * (src/test/resources/sample-pacts: gateway and agent), proving in every {@code mvn verify} that the
 * states and the verification wiring work before the real consumer pacts arrive.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Provider("sentry-service")
@PactFolder("src/test/resources/sample-pacts")
class SamplePactsVerificationTest extends SentryProviderStates {

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context, ClassicHttpRequest request) {
        authorize(request);
        context.verifyInteraction();
    }
}
