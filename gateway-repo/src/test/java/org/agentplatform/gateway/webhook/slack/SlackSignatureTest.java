package org.agentplatform.gateway.webhook.slack;

import org.agentplatform.gateway.support.VendorPayloads;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SlackSignatureTest {

    /** Slack's worked example, https://api.slack.com/authentication/verifying-requests-from-slack. */
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String TIMESTAMP = "1531420618";
    static final String EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    @Test
    void slacksOwnTestVectorVerifies() {
        byte[] body = VendorPayloads.raw(VendorPayloads.SLACK_SIGNATURE_EXAMPLE);

        assertThat(SlackSignature.sign(TIMESTAMP, body, SECRET)).isEqualTo(EXPECTED);
        assertThat(SlackSignature.matches(TIMESTAMP, body, SECRET, EXPECTED)).isTrue();
    }

    @Test
    void anyChangeToBodyTimestampOrSecretBreaksIt() {
        byte[] body = VendorPayloads.raw(VendorPayloads.SLACK_SIGNATURE_EXAMPLE);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("text=&", "text=rm+-rf&")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(SlackSignature.matches(TIMESTAMP, tampered, SECRET, EXPECTED)).isFalse();
        assertThat(SlackSignature.matches("1531420619", body, SECRET, EXPECTED)).isFalse();
        assertThat(SlackSignature.matches(TIMESTAMP, body, SECRET + "x", EXPECTED)).isFalse();
        assertThat(SlackSignature.matches(TIMESTAMP, body, SECRET, EXPECTED.toUpperCase())).isFalse();
        assertThat(SlackSignature.matches(TIMESTAMP, body, SECRET, null)).isFalse();
        assertThat(SlackSignature.matches(TIMESTAMP, body, "", EXPECTED)).isFalse();
    }

    @Test
    void timestampsWithinFiveMinutesEitherWayAreFresh() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        Duration five = Duration.ofMinutes(5);

        assertThat(SlackSignature.fresh(now.getEpochSecond() - 300, now, five)).isTrue();
        assertThat(SlackSignature.fresh(now.getEpochSecond() + 300, now, five)).isTrue();
        assertThat(SlackSignature.fresh(now.getEpochSecond() - 301, now, five)).isFalse();
        assertThat(SlackSignature.fresh(now.getEpochSecond() + 301, now, five)).isFalse();
    }
}
