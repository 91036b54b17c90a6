package org.agentplatform.github.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceTokensTest {

    @Test
    void callerTokenPairsWithRotation() {
        ServiceTokens tokens = new ServiceTokens(" gateway:s3cr3t , agent:0th3r,gateway:n3w ");
        assertThat(tokens.open()).isFalse();
        assertThat(tokens.callerOf("s3cr3t")).contains("gateway");
        assertThat(tokens.callerOf("n3w")).contains("gateway");
        assertThat(tokens.callerOf("0th3r")).contains("agent");
        assertThat(tokens.callerOf("s3cr3")).isEmpty();
        assertThat(tokens.callerOf("")).isEmpty();
        assertThat(tokens.callerOf(null)).isEmpty();
    }

    @Test
    void emptyMeansOpen() {
        assertThat(new ServiceTokens("").open()).isTrue();
        assertThat(new ServiceTokens(null).open()).isTrue();
        assertThat(new ServiceTokens(" , ").open()).isTrue();
    }

    @Test
    void anEntryWithoutCallerIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> new ServiceTokens("gateway:ok,justatoken"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("entry 2")
            .hasMessageNotContaining("justatoken");
    }
}
