package org.agentplatform.jira.web;

import java.time.ZoneOffset;
import java.util.List;

import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.jira.api.AbstractCallsController;
import org.agentplatform.jira.calls.OutboundCallRecord;
import org.agentplatform.jira.calls.OutboundCallRepository;
import org.agentplatform.jira.model.CallsPage;
import org.agentplatform.jira.model.OutboundCall;

/** {@code GET /api/v1/jira/calls}: the outbound-call log, newest first, paged and filtered. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class CallsController extends AbstractCallsController {

    private final OutboundCallRepository calls;

    public CallsController(OutboundCallRepository calls) {
        this.calls = calls;
    }

    @Override
    public CallsPage listJiraCalls(Integer page, Integer size, String correlationId, Boolean dryRun) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        Pageable pageable = Pageable.from(p, s, Sort.of(Sort.Order.desc("id")));
        Page<OutboundCallRecord> result;
        if (correlationId != null && dryRun != null) {
            result = calls.findByCorrelationIdAndDryRun(correlationId, dryRun, pageable);
        } else if (correlationId != null) {
            result = calls.findByCorrelationId(correlationId, pageable);
        } else if (dryRun != null) {
            result = calls.findByDryRun(dryRun, pageable);
        } else {
            result = calls.findAll(pageable);
        }
        List<OutboundCall> items = result.getContent().stream().map(CallsController::toApi).toList();
        return new CallsPage(items, p, s, result.getTotalSize());
    }

    static OutboundCall toApi(OutboundCallRecord r) {
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
