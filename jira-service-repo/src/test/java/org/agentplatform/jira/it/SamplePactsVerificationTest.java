package org.agentplatform.jira.it;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/**
 * Runs the provider verification (same states, same target) on the sample consumer pacts kept in
 * {@code src/test/resources/sample-pacts/}, so that {@code mvn verify} proves it works before the
 * real consumer pacts arrive through {@code ./meta.sh}. No {@code @IgnoreNoPactsToVerify}: missing
 * samples fail the build.
 */
@MicronautTest(transactional = false)
@Provider("jira-service")
@PactFolder("src/test/resources/sample-pacts")
class SamplePactsVerificationTest extends JiraServicePactVerificationTest {
}
