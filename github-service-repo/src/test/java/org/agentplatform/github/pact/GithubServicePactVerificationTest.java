package org.agentplatform.github.pact;

import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Verifies every consumer pact of github-service found in {@code -Dpactfolder.path=<dir>} (./meta.sh test
 * passes the collected pacts). Without the property there are no pacts and nothing to verify.
 * With {@code -Dpactbroker.url} the broker variant runs instead.
 */
@MicronautTest(transactional = false)
@Provider("github-service")
@PactFolder("${pactfolder.path:target/no-pacts}")
@IgnoreNoPactsToVerify
@DisabledIfSystemProperty(named = "pactbroker.url", matches = ".+")
class GithubServicePactVerificationTest extends ProviderVerificationBase {
}
