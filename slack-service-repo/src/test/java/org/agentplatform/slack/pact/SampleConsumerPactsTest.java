package org.agentplatform.slack.pact;

import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the provider verification on the sample consumer pacts kept in
 * {@code src/test/resources/sample-pacts} (gateway and agent, written the way their consumer
 * tests are expected to write them), so {@code mvn verify} proves the verification, the provider
 * states and the shapes consumers should use work before the real pacts exist. Its name does not
 * match {@code *PactVerification*}, so {@code ./meta.sh} never mixes it into the real matrix.
 */
@MicronautTest(transactional = false)
@Provider("slack-service")
@PactFolder("src/test/resources/sample-pacts")
class SampleConsumerPactsTest extends SlackProviderStates {

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context, ClassicHttpRequest request) {
        verifyWithServiceToken(context, request);
    }

    /** The interactions really went to (fake) Slack, in real mode, and response_url to hooks.slack.com. */
    @AfterAll
    void everyInteractionWasARealCall() {
        List<OutboundCallRow> rows = StreamSupport.stream(callRepository.findAll().spliterator(), false).toList();
        assertThat(rows).hasSize(6).allSatisfy(row -> {
            assertThat(row.dryRun()).isFalse();
            assertThat(row.state()).isEqualTo(OutboundCallRow.SUCCEEDED);
            assertThat(row.statusCode()).isEqualTo(200);
        });
        assertThat(rows).filteredOn(row -> row.operation().equals("replyToResponseUrl")).singleElement()
                .satisfies(row -> assertThat(row.url()).isEqualTo("https://hooks.slack.com/commands/T0001/1234/***"));
        assertThat(rows).extracting(OutboundCallRow::operation).containsOnly(
                "postSlackMessage", "updateSlackMessage", "addSlackReaction", "replyToResponseUrl");
    }
}
