package org.agentplatform.gateway.task;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceparentTest {

    @Test
    void theTraceIdIsTheSecondFieldOfAValidTraceparent() {
        assertThat(Traceparent.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Traceparent.traceId(Traceparent.generate())).matches("[0-9a-f]{32}");
    }

    @Test
    void anInvalidOrMissingTraceparentHasNone() {
        assertThat(Traceparent.traceId(null)).isEqualTo("none");
        assertThat(Traceparent.traceId("not-a-traceparent")).isEqualTo("none");
        assertThat(Traceparent.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEqualTo("none");
    }

    @Test
    void withoutTheJavaAgentTheTaskCarriesTheRequestsTraceparentUnchanged() {
        String request = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(Traceparent.ofTaskSpan(request, "task-1")).isEqualTo(request);
    }
}
