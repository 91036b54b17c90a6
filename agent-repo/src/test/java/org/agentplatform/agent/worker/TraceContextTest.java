package org.agentplatform.agent.worker;

import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {
    private static final String GATEWAYS = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theAgentsSpanContinuesTheGatewaysTrace() {
        String child = TraceContext.child(GATEWAYS);
        assertThat(child).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
        assertThat(child.substring(36, 52)).isNotEqualTo("00f067aa0ba902b7");
        assertThat(TraceContext.traceId(child)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void anInvalidOrMissingTraceparentStartsNothing() {
        assertThat(TraceContext.child(null)).isNull();
        assertThat(TraceContext.child("not-a-traceparent")).isNull();
        assertThat(TraceContext.child("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.traceId("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
    }

    @Test
    void withoutTheJavaAgentTheTaskSpanRecordsNothingAndTheTraceStillContinues() {
        Span span = TraceContext.taskSpan(GATEWAYS, "task-1");
        assertThat(span.isRecording()).isFalse();
        // the no-op span carries the message's context, so whatever runs inside it sees the gateway's trace
        assertThat(span.getSpanContext().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceContext.of(span, GATEWAYS)).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .isNotEqualTo(GATEWAYS);
        assertThat(TraceContext.of(TraceContext.taskSpan(null, "task-2"), null)).isNull();
    }
}
