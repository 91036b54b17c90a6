package org.agentplatform.github.pact;

import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactBroker;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The same verification against a Pact Broker: runs only with {@code -Dpactbroker.url=<broker>}; publish
 * the results with {@code -Dpact.verifier.publishResults=true -Dpact.provider.version=<version>}
 * (and {@code -Dpact.provider.branch=<branch>}). Token auth from {@code -Dpactbroker.auth.token}.
 */
@MicronautTest(transactional = false)
@Provider("github-service")
@PactBroker // every attribute from -Dpactbroker.* (url, auth.token, providerBranch, enablePending, ...)
@IgnoreNoPactsToVerify
@EnabledIfSystemProperty(named = "pactbroker.url", matches = ".+")
class GithubServiceBrokerPactVerificationTest extends ProviderVerificationBase {
}
