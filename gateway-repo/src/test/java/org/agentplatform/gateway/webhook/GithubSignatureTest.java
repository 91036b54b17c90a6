package org.agentplatform.gateway.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GithubSignatureTest {

    /** The test vector of GitHub's "Validating webhook deliveries" documentation. */
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String EXPECTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void matchesGithubsDocumentedExample() {
        assertThat(GithubSignature.sign(HELLO, SECRET)).isEqualTo(EXPECTED);
        assertThat(GithubSignature.matches(HELLO, SECRET, EXPECTED)).isTrue();
    }

    @Test
    void refusesAnythingButTheExactLowerCaseSignature() {
        assertThat(GithubSignature.matches(HELLO, SECRET, null)).isFalse();
        assertThat(GithubSignature.matches(HELLO, SECRET, "")).isFalse();
        assertThat(GithubSignature.matches(HELLO, SECRET, EXPECTED.toUpperCase())).isFalse();
        assertThat(GithubSignature.matches(HELLO, SECRET, "sha256=" + EXPECTED.substring(7).toUpperCase())).isFalse();
        assertThat(GithubSignature.matches(HELLO, SECRET, " " + EXPECTED)).isFalse();
        assertThat(GithubSignature.matches(HELLO, SECRET, EXPECTED.substring(7))).isFalse();
        assertThat(GithubSignature.matches(HELLO, "another secret", EXPECTED)).isFalse();
        assertThat(GithubSignature.matches("Hello, World?".getBytes(StandardCharsets.UTF_8), SECRET, EXPECTED)).isFalse();
    }

    @Test
    void neverMatchesWithAnEmptySecret() {
        assertThat(GithubSignature.matches(HELLO, "", "sha256=" + "0".repeat(64))).isFalse();
    }
}
