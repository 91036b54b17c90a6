package org.agentplatform.github.pact;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/**
 * Runs the provider verification on the sample pacts kept in src/test/resources/sample-pacts (an agent and a
 * gateway pact written the way the consumers' tests will write them), so the verification itself — states,
 * service token, fake GitHub, response shapes — is proven in every {@code mvn verify}, before and apart from
 * the consumers' real pacts. Not named *PactVerificationTest: ./meta.sh runs those against collected pacts.
 */
@MicronautTest(transactional = false)
@Provider("github-service")
@PactFolder("src/test/resources/sample-pacts")
class SamplePactProviderTest extends ProviderVerificationBase {
}
