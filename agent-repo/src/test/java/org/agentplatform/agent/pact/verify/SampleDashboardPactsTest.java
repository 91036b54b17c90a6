package org.agentplatform.agent.pact.verify;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;

/**
 * The TaskEvent verification of {@link AgentPactVerificationTest} run in every build
 * against a sample consumer pact kept here ({@code src/test/resources/sample-pacts}, written the
 * way a dashboard would match events: ids and times by type or pattern), so the verification
 * itself is known to work before the real dashboard pact arrives. Named so that
 * {@code ./meta.sh test} ({@code -Dtest=*PactVerification*Test}) does not take it for the real one.
 */
@Provider("agent")
@PactFolder("src/test/resources/sample-pacts")
class SampleDashboardPactsTest extends AgentPactVerificationTest {
}
