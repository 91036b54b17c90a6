package org.agentplatform.github.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.github.api.AbstractCallsController;
import org.agentplatform.github.calls.CallLog;
import org.agentplatform.github.calls.CallRecord;
import org.agentplatform.github.model.CallsPage;
import org.agentplatform.github.model.OutboundCall;

import java.time.ZoneOffset;

/** {@code GET /api/v1/github/calls}: the outbound-call log, newest first. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class CallsController extends AbstractCallsController {

    private final CallLog callLog;

    public CallsController(CallLog callLog) {
        this.callLog = callLog;
    }

    @Override
    public CallsPage listGithubCalls(@Nullable Integer page, @Nullable Integer size, @Nullable String correlationId,
                                     @Nullable Boolean dryRun) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        Page<CallRecord> result = callLog.list(p, s, correlationId, dryRun);
        return new CallsPage(result.getContent().stream().map(CallsController::toApi).toList(), p, s, result.getTotalSize());
    }

    static OutboundCall toApi(CallRecord r) {
        return new OutboundCall(r.id(), r.operation(), r.method(), r.url(), r.dryRun(), r.attempts(),
            r.createdAt().atOffset(ZoneOffset.UTC))
            .requestBody(r.requestBody())
            .statusCode(r.statusCode())
            .vendorId(r.vendorId())
            .durationMs(r.durationMs())
            .idempotencyKey(r.idempotencyKey())
            .correlationId(r.correlationId())
            .error(r.error());
    }
}
