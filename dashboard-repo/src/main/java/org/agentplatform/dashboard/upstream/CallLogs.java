package org.agentplatform.dashboard.upstream;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.agentplatform.dashboard.client.github.api.CallsApi;
import org.agentplatform.dashboard.model.DashboardCall;
import org.agentplatform.dashboard.model.DashboardCallsPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The outbound-call logs of the four vendor services, merged newest first. A service that does
 * not answer is left out (and logged): the page shows what the others recorded.
 */
@Singleton
public class CallLogs {
    private static final Logger LOG = LoggerFactory.getLogger(CallLogs.class);
    public static final int MAX_PER_SERVICE = 200;

    /** One vendor service's list-calls operation: (page, size, correlation id, dry run) → page of calls. */
    interface Source {
        Fetched fetch(int page, int size, @Nullable String correlationId, @Nullable Boolean dryRun);
    }

    record Fetched(List<DashboardCall> items, long total) {
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();

    public CallLogs(CallsApi github,
                    org.agentplatform.dashboard.client.jira.api.CallsApi jira,
                    org.agentplatform.dashboard.client.slack.api.CallsApi slack,
                    org.agentplatform.dashboard.client.sentry.api.CallsApi sentry) {
        sources.put("github-service", (p, s, c, d) -> {
            var page = github.listGithubCalls(p, s, c, d);
            return new Fetched(page.getItems().stream().map(x -> call("github-service", x.getId(), x.getOperation(), x.getMethod(), x.getUrl(),
                    x.getRequestBody(), x.getStatusCode(), x.getVendorId(), x.getDurationMs(), x.getDryRun(), x.getCorrelationId(),
                    x.getError(), x.getCreatedAt())).toList(), page.getTotal());
        });
        sources.put("jira-service", (p, s, c, d) -> {
            var page = jira.listJiraCalls(p, s, c, d);
            return new Fetched(page.getItems().stream().map(x -> call("jira-service", x.getId(), x.getOperation(), x.getMethod(), x.getUrl(),
                    x.getRequestBody(), x.getStatusCode(), x.getVendorId(), x.getDurationMs(), x.getDryRun(), x.getCorrelationId(),
                    x.getError(), x.getCreatedAt())).toList(), page.getTotal());
        });
        sources.put("slack-service", (p, s, c, d) -> {
            var page = slack.listSlackCalls(p, s, c, d);
            return new Fetched(page.getItems().stream().map(x -> call("slack-service", x.getId(), x.getOperation(), x.getMethod(), x.getUrl(),
                    x.getRequestBody(), x.getStatusCode(), x.getVendorId(), x.getDurationMs(), x.getDryRun(), x.getCorrelationId(),
                    x.getError(), x.getCreatedAt())).toList(), page.getTotal());
        });
        sources.put("sentry-service", (p, s, c, d) -> {
            var page = sentry.listSentryCalls(p, s, c, d);
            return new Fetched(page.getItems().stream().map(x -> call("sentry-service", x.getId(), x.getOperation(), x.getMethod(), x.getUrl(),
                    x.getRequestBody(), x.getStatusCode(), x.getVendorId(), x.getDurationMs(), x.getDryRun(), x.getCorrelationId(),
                    x.getError(), x.getCreatedAt())).toList(), page.getTotal());
        });
    }

    /**
     * One merged page. Each service is asked for its newest {@code (page + 1) * size} calls (at
     * most 200), which is enough to cut the requested page out of the merge.
     */
    public DashboardCallsPage list(@Nullable String service, @Nullable Boolean dryRun, @Nullable String correlationId, int page, int size) {
        int wanted = (int) Math.min((long) (page + 1) * size, MAX_PER_SERVICE);
        List<DashboardCall> all = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Source> e : sources.entrySet()) {
            if (service != null && !service.equals(e.getKey())) {
                continue;
            }
            try {
                Fetched f = e.getValue().fetch(0, wanted, correlationId, dryRun);
                all.addAll(f.items());
                total += f.total();
            } catch (RuntimeException ex) {
                LOG.warn("{} call log not available: {}", e.getKey(), ex.toString());
            }
        }
        all.sort(newestFirst());
        int from = Math.min(page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new DashboardCallsPage(new ArrayList<>(all.subList(from, to)), page, size, total);
    }

    /** The calls one task caused in the vendor service of its source ({@code api} tasks: none). */
    public List<DashboardCall> forTask(String vendor, @Nullable String correlationId) {
        Source source = sources.get(vendor + "-service");
        if (source == null || correlationId == null) {
            return new ArrayList<>();
        }
        try {
            List<DashboardCall> calls = new ArrayList<>(source.fetch(0, 50, correlationId, null).items());
            calls.sort(newestFirst());
            return calls;
        } catch (RuntimeException ex) {
            LOG.warn("{} call log not available: {}", vendor, ex.toString());
            return new ArrayList<>();
        }
    }

    static Comparator<DashboardCall> newestFirst() {
        Function<DashboardCall, OffsetDateTime> at = DashboardCall::getCreatedAt;
        return Comparator.comparing(at, Comparator.nullsLast(Comparator.reverseOrder()));
    }

    static DashboardCall call(String service, Long id, String operation, String method, String url, String requestBody,
                              Integer statusCode, String vendorId, Long durationMs, Boolean dryRun, String correlationId,
                              String error, OffsetDateTime createdAt) {
        DashboardCall c = new DashboardCall(service, id, operation, method, url, dryRun, createdAt);
        c.setRequestBody(requestBody);
        c.setStatusCode(statusCode);
        c.setVendorId(vendorId);
        c.setDurationMs(durationMs);
        c.setCorrelationId(correlationId);
        c.setError(error);
        return c;
    }
}
