package org.agentplatform.gateway.task;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
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
    void aCurrentSpanIsContinuedAndWithoutOneTheIncomingHeaderOrANewTrace() {
        SpanContext server = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(server).makeCurrent()) {
            assertThat(Traceparent.ofCurrentSpanOr("00-11111111111111111111111111111111-2222222222222222-01"))
                    .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        }
        // no agent, no current span: as before the API was there
        String incoming = "00-11111111111111111111111111111111-2222222222222222-00";
        assertThat(Traceparent.ofCurrentSpanOr(incoming)).isEqualTo(incoming);
        assertThat(Traceparent.ofCurrentSpanOr(null)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }
}
