package org.agentplatform.slack.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.slack.api.AbstractCallsController;
import org.agentplatform.slack.calls.CallLog;
import org.agentplatform.slack.calls.OutboundCallRow;
import org.agentplatform.slack.model.CallsPage;
import org.agentplatform.slack.model.OutboundCall;

import java.time.ZoneOffset;
import java.util.List;

/** {@code GET /api/v1/slack/calls}: the outbound-call log, newest first, paged and filtered. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class CallsController extends AbstractCallsController {

    private final CallLog callLog;

    public CallsController(CallLog callLog) {
        this.callLog = callLog;
    }

    @Override
    public CallsPage listSlackCalls(@Nullable Integer page, @Nullable Integer size, @Nullable String correlationId,
                                    @Nullable Boolean dryRun) {
        requireStrictBoolean("dry_run");
        int pageNumber = page == null ? 0 : page;
        int pageSize = size == null ? 50 : size;
        Page<OutboundCallRow> rows = callLog.list(pageNumber, pageSize, correlationId, dryRun);
        List<OutboundCall> items = rows.getContent().stream().map(CallsController::toApi).toList();
        return new CallsPage(items, pageNumber, pageSize, rows.getTotalSize());
    }

    /** Micronaut reads {@code dry_run=maybe} as false; the contract says boolean, so refuse it. */
    private static void requireStrictBoolean(String name) {
        ServerRequestContext.currentRequest().flatMap(r -> r.getParameters().getFirst(name)).ifPresent(value -> {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw ProblemException.invalid(name, "must be true or false");
            }
        });
    }

    static OutboundCall toApi(OutboundCallRow row) {
        return new OutboundCall(row.id(), row.operation(), row.method(), row.url(), row.dryRun(), row.attempts(),
                row.createdAt().atOffset(ZoneOffset.UTC))
                .requestBody(row.requestBody())
                .statusCode(row.statusCode())
                .vendorId(row.vendorId())
                .durationMs(row.durationMs())
                .idempotencyKey(row.idempotencyKey())
                .correlationId(row.correlationId())
                .error(row.error());
    }
}
