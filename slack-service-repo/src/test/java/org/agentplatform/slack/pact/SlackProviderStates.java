package org.agentplatform.slack.pact;

import au.com.dius.pact.provider.junit5.HttpTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junitsupport.State;
import org.agentplatform.slack.support.SlackServiceTestBase;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.junit.jupiter.api.BeforeEach;

import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

/**
 * The provider side of slack-service's pacts, shared by the verification of the real consumer
 * pacts ({@link SlackPactVerificationTest}) and of the samples ({@link SampleConsumerPactsTest}):
 * real mode (a bot token), WireMock standing in for the Slack Web API and for hooks.slack.com.
 *
 * <p>Provider states (the {@code given} texts consumers use):
 * <ul>
 *   <li>{@code channel C0123456789 exists}: Slack knows the channel; chat.postMessage answers
 *       ts {@code 1700000001.000200}, chat.update and reactions.add succeed.</li>
 *   <li>{@code a slash command response_url is valid}: {@code https://hooks.slack.com/commands/T0001/1234/abcd}
 *       accepts an answer (Slack's plain {@code ok}).</li>
 *   <li>{@code an outbound call has been recorded}: the call log holds one call (a message to the channel above).</li>
 * </ul>
 */
public abstract class SlackProviderStates extends SlackServiceTestBase {

    public static final String CHANNEL = "C0123456789";
    public static final String POSTED_TS = "1700000001.000200";

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("test.hooks-slack-base", "http://127.0.0.1:" + slack.port());
        return properties;
    }

    @BeforeEach
    void target(PactVerificationContext context) {
        if (context != null) {
            context.setTarget(new HttpTestTarget("127.0.0.1", server.getPort()));
        }
    }

    /** Each replayed request carries the token of the consumer that wrote the pact. */
    protected void verifyWithServiceToken(PactVerificationContext context, ClassicHttpRequest request) {
        String consumer = context.getPact() == null ? "" : context.getPact().getConsumer().getName();
        request.setHeader("Authorization", "Bearer " + ("gateway".equals(consumer) ? GATEWAY_TOKEN : AGENT_TOKEN));
        context.verifyInteraction();
    }

    @State("channel C0123456789 exists")
    public void channelExists() {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL + "\",\"ts\":\""
                + POSTED_TS + "\",\"message\":{\"type\":\"message\",\"subtype\":\"bot_message\",\"text\":\"On it\","
                + "\"bot_id\":\"B19LU7CSY\",\"ts\":\"" + POSTED_TS + "\"}}")));
        slack.stubFor(post("/api/chat.update").willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL + "\",\"ts\":\""
                + POSTED_TS + "\",\"text\":\"Done\",\"message\":{\"text\":\"Done\",\"user\":\"U34567890\"}}")));
        slack.stubFor(post("/api/reactions.add").willReturn(okJson("{\"ok\":true}")));
    }

    @State("a slash command response_url is valid")
    public void responseUrlIsValid() {
        slack.stubFor(post("/commands/T0001/1234/abcd").willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    /** A real message posted through the service's own API, so the call log holds one real entry. */
    @State("an outbound call has been recorded")
    public void anOutboundCallHasBeenRecorded() throws Exception {
        channelExists();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://127.0.0.1:" + server.getPort() + "/api/v1/slack/messages"))
                        .header("Authorization", "Bearer " + AGENT_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"channel\": \"" + CHANNEL + "\", \"text\": \"Recorded for the call log\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("could not record a call: " + r.statusCode() + " " + r.body());
        }
    }
}
