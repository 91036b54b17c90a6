package org.agentplatform.sentry.domain;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.agentplatform.sentry.calls.CallContext;
import org.agentplatform.sentry.calls.IdempotencyGuard;
import org.agentplatform.sentry.calls.Unanswered;
import org.agentplatform.sentry.config.SentryConfig;
import org.agentplatform.sentry.model.SentryEvent;
import org.agentplatform.sentry.model.SentryIssue;
import org.agentplatform.sentry.model.SentryIssueUpdateRequest;
import org.agentplatform.sentry.model.SentryNoteResult;
import org.agentplatform.sentry.model.SentryResult;
import org.agentplatform.sentry.vendor.SentryCallException;
import org.agentplatform.sentry.vendor.SentryClient;
import org.agentplatform.sentry.vendor.SentryJson;
import org.agentplatform.sentry.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What sentry-service does with Sentry issues: read one with its latest event, add a note,
 * update status/assignee. Dry-run when {@code SENTRY_AUTH_TOKEN} is not set.
 */
@Singleton
public class SentryIssues implements ApplicationEventListener<StartupEvent> {

    public static final String GET_ISSUE = "getSentryIssue";
    public static final String ADD_NOTE = "addSentryNote";
    public static final String UPDATE_ISSUE = "updateSentryIssue";

    private static final Logger LOG = LoggerFactory.getLogger(SentryIssues.class);
    /** How much earlier than the lost attempt's start a note may be dated (clocks of Sentry and this host). */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(60);

    private final SentryConfig config;
    private final SentryClient client;
    private final SentryJson json;
    private final IdempotencyGuard idempotency;

    public SentryIssues(SentryConfig config, SentryClient client, SentryJson json, IdempotencyGuard idempotency) {
        this.config = config;
        this.client = client;
        this.json = json;
        this.idempotency = idempotency;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (config.isDryRun()) {
            LOG.warn("SENTRY_AUTH_TOKEN is not set: dry-run, nothing is sent to Sentry (calls are recorded)");
        } else {
            LOG.info("Sentry API at {} ({} endpoints{}), up to {} attempts per call", config.getApiUrl(),
                    config.getOrg() == null ? "legacy issue" : "organization-scoped issue",
                    config.getOrg() == null ? "" : " of '" + config.getOrg() + "'", config.getMaxAttempts());
        }
    }

    public boolean isDryRun() {
        return config.isDryRun();
    }

    /** {@code /issues/{id}/} or, with SENTRY_ORG, {@code /organizations/{org}/issues/{id}/}. */
    String issuePath(String issueId) {
        String org = config.getOrg();
        return org == null
                ? "/issues/" + issueId + "/"
                : "/organizations/" + URLEncoder.encode(org, StandardCharsets.UTF_8) + "/issues/" + issueId + "/";
    }

    // ---------------------------------------------------------------- getSentryIssue

    public SentryIssue getIssue(String issueId, CallContext ctx) {
        String issuePath = issuePath(issueId);
        String eventPath = issuePath + "events/latest/";
        if (config.isDryRun()) {
            client.recordDryRun(ctx, "GET", issuePath, null);
            client.recordDryRun(ctx, "GET", eventPath, null);
            return dryRunIssue(issueId);
        }
        SentryClient.Answer issueAnswer = call(ctx, "GET", issuePath, null, json::idOf, issueId);
        SentryIssue issue = json.issue(json.parse(issueAnswer.body()), issueId);
        try {
            SentryClient.Answer eventAnswer = client.send(ctx, "GET", eventPath, null, json::eventIdOf);
            issue.setLatestEvent(json.event(json.parse(eventAnswer.body())));
        } catch (SentryCallException e) {
            if (e.kind() == SentryCallException.Kind.HTTP_STATUS && e.status() == 404) {
                LOG.info("Sentry issue {} has no latest event (404); answering without latest_event", issueId);
            } else {
                throw toProblem(e, issueId);
            }
        }
        return issue;
    }

    private SentryIssue dryRunIssue(String issueId) {
        String title = "[dry-run] Sentry issue " + issueId + " (SENTRY_AUTH_TOKEN not set, nothing fetched)";
        SentryIssue issue = new SentryIssue(issueId, title);
        issue.setStatus("unresolved");
        issue.setLevel("error");
        issue.setCount(0L);
        SentryEvent event = new SentryEvent(UUID.nameUUIDFromBytes(("dry-run-" + issueId)
                .getBytes(StandardCharsets.UTF_8)).toString().replace("-", ""));
        event.setMessage(title);
        event.setExceptions(new ArrayList<>());
        issue.setLatestEvent(event);
        return issue;
    }

    // ---------------------------------------------------------------- addSentryNote

    public IdempotencyGuard.Outcome<SentryNoteResult> addNote(String issueId, String text, CallContext ctx) {
        String path = issuePath(issueId) + "comments/";
        String body = json.write(Map.of("text", text));
        // a lost attempt's note: same text, created since that attempt began (less a minute for clock skew)
        SentryClient.Lookup lookup = new SentryClient.Lookup(path,
                (notes, since) -> json.findNote(notes, text, since.minus(CLOCK_SLACK)));
        return idempotency.execute(ADD_NOTE, ctx.idempotencyKey(), issueId + "\n" + body, SentryNoteResult.class,
                unanswered -> {
                    if (config.isDryRun()) {
                        long callId = client.recordDryRun(ctx, "POST", path, body);
                        SentryNoteResult r = new SentryNoteResult(true, true,
                                "Dry-run: note recorded, not sent to Sentry (SENTRY_AUTH_TOKEN not set)");
                        r.setNoteId("dry-run-" + callId);
                        return r;
                    }
                    try {
                        SentryClient.Answer answer = client.send(ctx, "POST", path, body, json::idOf, lookup,
                                unanswered);
                        SentryNoteResult r = new SentryNoteResult(true, false, "Note added");
                        r.setNoteId(json.idOf(answer.body()));
                        return r;
                    } catch (SentryCallException e) {
                        if (isAlreadyPosted(e, unanswered)) {
                            // an earlier attempt of this very call reached Sentry before its answer was lost
                            SentryNoteResult r = new SentryNoteResult(true, false,
                                    "Note already present: an earlier attempt of this call was stored by Sentry");
                            return r;
                        }
                        ApiProblem problem = toProblem(e, issueId);
                        if (unanswered.since().isPresent() && problem.status().getCode() >= 500) {
                            throw new ApiProblem(problem.status(), problem.detail() + ". An attempt got no answer,"
                                    + " so Sentry may have stored the note: a retry with the same Idempotency-Key"
                                    + " looks for it before sending", problem.invalidParams(), problem.headers());
                        }
                        throw problem;
                    }
                });
    }

    /** Sentry refuses the same note from the same user within an hour: 400 "You have already posted that comment." */
    private boolean isAlreadyPosted(SentryCallException e, Unanswered unanswered) {
        boolean retried = e.attempts() >= 2 || unanswered.since().isPresent();
        if (e.kind() != SentryCallException.Kind.HTTP_STATUS || e.status() != 400 || !retried) {
            return false;
        }
        String detail = json.detailOf(e.body());
        return detail != null && detail.toLowerCase(Locale.ROOT).contains("already posted");
    }

    // ---------------------------------------------------------------- updateSentryIssue

    public IdempotencyGuard.Outcome<SentryResult> updateIssue(String issueId, SentryIssueUpdateRequest request,
                                                              CallContext ctx) {
        String path = issuePath(issueId);
        Map<String, Object> payload = new LinkedHashMap<>();
        if (request.getStatus() != null) {
            payload.put("status", request.getStatus().getValue());
        }
        if (request.getAssignedTo() != null) {
            payload.put("assignedTo", request.getAssignedTo());
        }
        String body = json.write(payload);
        String what = describe(request);
        return idempotency.execute(UPDATE_ISSUE, ctx.idempotencyKey(), issueId + "\n" + body, SentryResult.class,
                unanswered -> { // a PUT of the same fields is harmless to repeat: no lookup
                    if (config.isDryRun()) {
                        client.recordDryRun(ctx, "PUT", path, body);
                        return new SentryResult(true, true,
                                "Dry-run: issue update (" + what + ") recorded, not sent to Sentry (SENTRY_AUTH_TOKEN not set)");
                    }
                    call(ctx, "PUT", path, body, json::idOf, issueId);
                    return new SentryResult(true, false, "Issue updated (" + what + ")");
                });
    }

    private static String describe(SentryIssueUpdateRequest request) {
        List<String> parts = new ArrayList<>();
        if (request.getStatus() != null) {
            parts.add("status=" + request.getStatus().getValue());
        }
        if (request.getAssignedTo() != null) {
            parts.add("assigned_to=" + request.getAssignedTo());
        }
        return String.join(", ", parts);
    }

    // ---------------------------------------------------------------- errors

    private SentryClient.Answer call(CallContext ctx, String method, String path, @Nullable String body,
                                     java.util.function.Function<String, String> vendorIdOf, String issueId) {
        try {
            return client.send(ctx, method, path, body, vendorIdOf);
        } catch (SentryCallException e) {
            throw toProblem(e, issueId);
        }
    }

    /** Sentry's failure → this service's problem: 404 stays 404, credentials → 502, the rest → 502/503/400. */
    ApiProblem toProblem(SentryCallException e, String issueId) {
        String sentryDetail = json.detailOf(e.body());
        String suffix = sentryDetail == null ? "" : " (Sentry: \"" + sentryDetail + "\")";
        switch (e.kind()) {
            case UNREACHABLE:
                return new ApiProblem(HttpStatus.BAD_GATEWAY, e.getMessage() + " (SENTRY_MAX_ATTEMPTS="
                        + config.getMaxAttempts() + "); check SENTRY_API_URL");
            case RATE_LIMITED: {
                Duration wait = e.retryAfter() == null ? Duration.ofSeconds(60) : e.retryAfter();
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Sentry is rate-limiting this token ("
                        + e.getMessage() + "); retry after " + seconds + " s", List.of(),
                        Map.of("Retry-After", String.valueOf(seconds)));
            }
            default:
                break;
        }
        int status = e.status();
        if (status == 404) {
            String where = config.getOrg() == null ? "" : " in organization '" + config.getOrg() + "' (check SENTRY_ORG)";
            return new ApiProblem(HttpStatus.NOT_FOUND, "Sentry has no issue " + issueId + where + suffix);
        }
        if (status == 401) {
            return new ApiProblem(HttpStatus.BAD_GATEWAY,
                    "Sentry answered 401 Unauthorized: check SENTRY_AUTH_TOKEN" + suffix);
        }
        if (status == 403) {
            return new ApiProblem(HttpStatus.BAD_GATEWAY, "Sentry answered 403 Forbidden: check that SENTRY_AUTH_TOKEN"
                    + " has the scopes event:read and event:write (notes need a user or integration token)" + suffix);
        }
        if (status == 400) {
            List<ApiProblem.InvalidParam> params = new ArrayList<>();
            for (Map.Entry<String, String> f : json.fieldErrorsOf(e.body())) {
                params.add(new ApiProblem.InvalidParam(contractName(f.getKey()), f.getValue()));
            }
            String detail = sentryDetail != null ? "Sentry rejected the request: " + sentryDetail
                    : params.isEmpty() ? "Sentry rejected the request (400)"
                    : "Sentry rejected the request: " + params.get(0).name() + ": " + params.get(0).reason();
            return new ApiProblem(HttpStatus.BAD_REQUEST, detail, params, null);
        }
        if (status == 429 || status >= 500) {
            return new ApiProblem(HttpStatus.BAD_GATEWAY, e.getMessage() + " (SENTRY_MAX_ATTEMPTS="
                    + config.getMaxAttempts() + ")" + suffix);
        }
        return new ApiProblem(HttpStatus.BAD_GATEWAY, e.getMessage() + suffix);
    }

    private static String contractName(String sentryField) {
        return switch (sentryField) {
            case "assignedTo" -> "assigned_to";
            case "text" -> "text";
            default -> sentryField;
        };
    }
}
