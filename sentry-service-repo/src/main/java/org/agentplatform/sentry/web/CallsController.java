package org.agentplatform.sentry.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.sentry.api.AbstractCallsController;
import org.agentplatform.sentry.calls.CallLog;
import org.agentplatform.sentry.model.CallsPage;

/** HTTP → {@link CallLog}: the outbound-call log, newest first. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class CallsController extends AbstractCallsController {

    private final CallLog callLog;

    public CallsController(CallLog callLog) {
        this.callLog = callLog;
    }

    @Override
    public CallsPage listSentryCalls(Integer page, Integer size, String correlationId, Boolean dryRun) {
        // Micronaut reads any word that is not "true" as false; the contract wants a boolean
        ServerRequestContext.currentRequest()
                .flatMap(r -> r.getParameters().getFirst("dry_run"))
                .filter(v -> !"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v))
                .ifPresent(v -> {
                    throw ApiProblem.badRequest("dry_run", "must be true or false, not '"
                            + (v.length() > 20 ? v.substring(0, 20) + "…" : v) + "'");
                });
        return callLog.page(page == null ? 0 : page, size == null ? 50 : size, correlationId, dryRun);
    }
}
