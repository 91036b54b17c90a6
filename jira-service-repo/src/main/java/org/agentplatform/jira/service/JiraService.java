package org.agentplatform.jira.service;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PostConstruct;
import org.agentplatform.jira.adf.AdfText;
import org.agentplatform.jira.adf.MarkdownToAdf;
import org.agentplatform.jira.calls.CallLog;
import org.agentplatform.jira.calls.CallLog.Outcome;
import org.agentplatform.jira.model.JiraCommentResult;
import org.agentplatform.jira.model.JiraIssue;
import org.agentplatform.jira.model.JiraTransitionResult;
import org.agentplatform.jira.vendor.JiraHttp;
import org.agentplatform.jira.vendor.JiraHttp.Exchange;
import org.agentplatform.jira.vendor.JiraHttp.LostAnswerCheck;
import org.agentplatform.jira.vendor.JiraHttp.Lookup;
import org.agentplatform.jira.vendor.JiraSettings;
import org.agentplatform.jira.vendor.JiraUnreachableException;
import org.agentplatform.jira.web.ApiProblem;
import org.agentplatform.jira.web.ResponseHints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jira operations of the contract, against Jira Cloud REST v3
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/): add and edit a comment
 * ({@code POST/PUT /rest/api/3/issue/{key}/comment[/{id}]} with an ADF {@code body}), read an issue
 * ({@code GET /rest/api/3/issue/{key}?fields=...}) and move it through its workflow
 * ({@code GET} then {@code POST /rest/api/3/issue/{key}/transitions}).
 *
 * <p>In dry-run nothing is sent: every call is recorded with {@code dry_run=true} and answered with
 * a synthetic success (numeric synthetic comment ids, so the caller can "edit" what it "posted").
 */
@Context // created at start-up: the mode is logged (and a bad JIRA_DRY_RUN fails) before the first request
public class JiraService {

    private static final Logger LOG = LoggerFactory.getLogger(JiraService.class);
    static final String ISSUE_FIELDS = "summary,description,status,labels,reporter";

    private final JiraSettings settings;
    private final JiraHttp http;
    private final CallLog calls;
    private final MarkdownToAdf markdown;
    private final JsonMapper json;
    private boolean dryRun;

    public JiraService(JiraSettings settings, JiraHttp http, CallLog calls, MarkdownToAdf markdown, JsonMapper json) {
        this.settings = settings;
        this.http = http;
        this.calls = calls;
        this.markdown = markdown;
        this.json = json;
    }

    @PostConstruct
    void announceMode() {
        dryRun = settings.isDryRunMode();
        if (dryRun) {
            List<String> missing = settings.missing();
            LOG.warn("Jira DRY-RUN: nothing is sent to Jira, every call is recorded and answered with a synthetic success ({})",
                    missing.isEmpty() ? "JIRA_DRY_RUN=true" : String.join(", ", missing) + " not set");
        } else {
            LOG.info("Jira real mode: {} as {} (basic auth with JIRA_API_TOKEN)", settings.getBaseUrl(), settings.getEmail());
        }
    }

    public boolean isDryRun() {
        return dryRun;
    }

    // ------------------------------------------------------------------ comments

    public JiraCommentResult addComment(String issueKey, String markdownBody, String idempotencyKey, String correlationId) {
        String path = "/rest/api/3/issue/" + issueKey + "/comment";
        Map<String, Object> adf = markdown.convert(requireText(markdownBody, "body"));
        String body = write(Map.of("body", adf));
        String text = AdfText.matchText(adf);
        CallLog.Request request = new CallLog.Request("addJiraComment", "POST", http.url(path), body, dryRun,
                idempotencyKey, correlationId, CallLog.fingerprint("addJiraComment", issueKey, markdownBody));
        return calls.run(request, JiraCommentResult.class, call -> {
            if (dryRun) {
                String syntheticId = syntheticCommentId(call.id());
                return new Outcome<>(new JiraCommentResult(true, true, "Dry-run: comment on " + issueKey
                        + " recorded, nothing sent to Jira").commentId(syntheticId), null, syntheticId, 0, 0);
            }
            Exchange answer = send(call, "POST", path, body, "issue " + issueKey, since -> findComment(issueKey, text, since));
            String commentId = stringField(parse(answer.body()), "id");
            LOG.info("Comment {} added to {} ({} attempt(s))", commentId, issueKey, answer.attempts());
            return new Outcome<>(new JiraCommentResult(true, false, "Comment added").commentId(commentId),
                    answer.status(), commentId, answer.attempts(), answer.durationMs());
        });
    }

    public JiraCommentResult updateComment(String issueKey, String commentId, String markdownBody, String idempotencyKey,
                                           String correlationId) {
        String path = "/rest/api/3/issue/" + issueKey + "/comment/" + commentId;
        String body = write(Map.of("body", markdown.convert(requireText(markdownBody, "body"))));
        CallLog.Request request = new CallLog.Request("updateJiraComment", "PUT", http.url(path), body, dryRun,
                idempotencyKey, correlationId, CallLog.fingerprint("updateJiraComment", issueKey, commentId, markdownBody));
        return calls.run(request, JiraCommentResult.class, call -> {
            if (dryRun) {
                return new Outcome<>(new JiraCommentResult(true, true, "Dry-run: update of comment " + commentId + " on "
                        + issueKey + " recorded, nothing sent to Jira").commentId(commentId), null, commentId, 0, 0);
            }
            Exchange answer = send(call, "PUT", path, body, "comment " + commentId + " on issue " + issueKey, null);
            String id = stringField(parse(answer.body()), "id");
            String updated = id == null ? commentId : id;
            LOG.info("Comment {} on {} updated ({} attempt(s))", updated, issueKey, answer.attempts());
            return new Outcome<>(new JiraCommentResult(true, false, "Comment updated").commentId(updated),
                    answer.status(), updated, answer.attempts(), answer.durationMs());
        });
    }

    // ------------------------------------------------------------------ issue

    public JiraIssue getIssue(String issueKey, String correlationId) {
        String path = "/rest/api/3/issue/" + issueKey + "?fields=" + ISSUE_FIELDS;
        CallLog.Request request = new CallLog.Request("getJiraIssue", "GET", http.url(path), null, dryRun, null,
                correlationId, null);
        return calls.run(request, JiraIssue.class, call -> {
            if (dryRun) {
                JiraIssue synthetic = new JiraIssue(issueKey, "[dry-run] " + issueKey, new ArrayList<>())
                        .url(browseUrl(issueKey));
                return new Outcome<>(synthetic, null, issueKey, 0, 0);
            }
            Exchange answer = send(call, "GET", path, null, "issue " + issueKey, null);
            Map<String, Object> issue = parse(answer.body());
            String key = stringField(issue, "key") == null ? issueKey : stringField(issue, "key");
            Map<String, Object> fields = map(issue.get("fields"));
            List<String> labels = new ArrayList<>();
            if (fields.get("labels") instanceof List<?> list) {
                list.forEach(label -> labels.add(String.valueOf(label)));
            }
            JiraIssue result = new JiraIssue(key, fields.get("summary") == null ? "" : fields.get("summary").toString(), labels)
                    .description(AdfText.toPlainText(fields.get("description")))
                    .status(stringField(map(fields.get("status")), "name"))
                    .reporter(stringField(map(fields.get("reporter")), "displayName"))
                    .url(browseUrl(key));
            return new Outcome<>(result, answer.status(), stringField(issue, "id"), answer.attempts(), answer.durationMs());
        });
    }

    // ------------------------------------------------------------------ transitions

    public JiraTransitionResult transition(String issueKey, String transition, String idempotencyKey, String correlationId) {
        String wanted = requireText(transition, "transition").trim();
        String path = "/rest/api/3/issue/" + issueKey + "/transitions";
        CallLog.Request request = new CallLog.Request("transitionJiraIssue", "POST", http.url(path), null, dryRun,
                idempotencyKey, correlationId, CallLog.fingerprint("transitionJiraIssue", issueKey, wanted.toLowerCase(Locale.ROOT)));
        return calls.run(request, JiraTransitionResult.class, call -> {
            if (dryRun) {
                String id = wanted.matches("[0-9]+") ? wanted : null;
                call.requestBody(write(Map.of("transition", id == null ? Map.of("name", wanted) : Map.of("id", id))));
                return new Outcome<>(new JiraTransitionResult(true, true, "Dry-run: transition of " + issueKey + " to '"
                        + wanted + "' recorded, nothing sent to Jira").transitionId(id), null, id, 0, 0);
            }
            Map<String, String> chosen = resolveTransition(issueKey, wanted, correlationId);
            String body = write(Map.of("transition", Map.of("id", chosen.get("id"))));
            call.requestBody(body);
            Exchange answer = send(call, "POST", path, body, "issue " + issueKey, null);
            String target = chosen.get("to") == null ? chosen.get("name") : chosen.get("to");
            LOG.info("{} transitioned with '{}' ({}) to {}", issueKey, chosen.get("name"), chosen.get("id"), target);
            return new Outcome<>(new JiraTransitionResult(true, false, "Transitioned to " + target).transitionId(chosen.get("id")),
                    answer.status(), chosen.get("id"), answer.attempts(), answer.durationMs());
        });
    }

    /**
     * Finds the transition by name (case-insensitive), then by id, then by target status name;
     * none → 409 listing the available ones. The lookup is recorded as its own call.
     */
    @SuppressWarnings("unchecked")
    private Map<String, String> resolveTransition(String issueKey, String wanted, String correlationId) {
        String path = "/rest/api/3/issue/" + issueKey + "/transitions";
        CallLog.Request lookup = new CallLog.Request("transitionJiraIssue", "GET", http.url(path), null, false, null,
                correlationId, null);
        List<Map<String, String>> available = calls.run(lookup, List.class, call -> {
            Exchange answer = send(call, "GET", path, null, "issue " + issueKey, null);
            List<Map<String, String>> list = new ArrayList<>();
            if (parse(answer.body()).get("transitions") instanceof List<?> transitions) {
                for (Object t : transitions) {
                    Map<String, Object> tm = map(t);
                    Map<String, String> entry = new LinkedHashMap<>();
                    entry.put("id", stringField(tm, "id"));
                    entry.put("name", stringField(tm, "name"));
                    entry.put("to", stringField(map(tm.get("to")), "name"));
                    list.add(entry);
                }
            }
            return new Outcome<>(list, answer.status(), null, answer.attempts(), answer.durationMs());
        });
        String lower = wanted.toLowerCase(Locale.ROOT);
        for (String field : List.of("name", "id", "to")) {
            for (Map<String, String> t : available) {
                if (t.get(field) != null && t.get(field).toLowerCase(Locale.ROOT).equals(lower)) {
                    return t;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Map<String, String> t : available) {
            names.add("'" + t.get("name") + "' (id " + t.get("id") + (t.get("to") == null ? "" : ", to " + t.get("to")) + ")");
        }
        throw new ApiProblem(HttpStatus.CONFLICT, "Issue " + issueKey + " has no transition '" + wanted + "' now; available: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Sends and maps every non-2xx answer to a problem (the exchange's details go to the call log).
     * {@code lostAnswer}, for a request that creates something, finds what an unanswered attempt
     * created (see {@link JiraHttp#send(String, String, String, Instant, LostAnswerCheck)}).
     */
    private Exchange send(CallLog.Call call, String method, String path, String body, String what,
                          LostAnswerCheck lostAnswer) {
        String request = method + " " + path;
        Exchange answer;
        try {
            answer = http.send(method, path, body, lostAnswer == null ? null : call.unansweredSince(), lostAnswer);
        } catch (JiraUnreachableException e) {
            call.unansweredSince(e.getUnansweredSince());
            String mayBeDone = lostAnswer != null && e.getUnansweredSince() != null
                    ? "; Jira may have carried it out all the same: a retry with the same Idempotency-Key looks for it on "
                    + "Jira before sending it again" : "";
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "Jira at " + settings.getBaseUrl() + " gave no answer to " + request
                    + " (" + what + ") after " + e.getAttempts() + " attempt(s) (JIRA_MAX_ATTEMPTS, JIRA_READ_TIMEOUT "
                    + settings.getReadTimeout().toMillis() + " ms each): " + e.getMessage() + mayBeDone)
                    .vendor(null, e.getAttempts(), e.getDurationMs());
        }
        call.unansweredSince(answer.unansweredSince());
        if (answer.ok()) {
            return answer;
        }
        throw JiraErrors.toProblem(json, answer, what, request, settings.getMaxAttempts()).vendor(answer.status(),
                answer.attempts(), answer.durationMs());
    }

    /**
     * The look-up after an unanswered {@code POST .../comment}: Jira Cloud's "Get comments", newest
     * first, {@code GET /rest/api/3/issue/{key}/comment?orderBy=-created&maxResults=100}. A comment
     * is the lost one when it was {@code created} at or after the unanswered attempt's start minus a
     * minute (clock skew), its ADF body has the same text ({@link AdfText#matchText}) as the one
     * sent, and no successful call of this service already answered with its id. One attempt, no
     * retry: the caller's retry loop decides what comes next.
     */
    private Lookup findComment(String issueKey, String text, Instant since) {
        String path = "/rest/api/3/issue/" + issueKey + "/comment?orderBy=-created&maxResults=100";
        Optional<Exchange> listed = http.once("GET", path);
        if (listed.isEmpty()) {
            return Lookup.unknown("no answer to GET " + path);
        }
        if (!listed.get().ok()) {
            return Lookup.unknown("GET " + path + " answered " + listed.get().status());
        }
        Object comments;
        try {
            comments = parse(listed.get().body()).get("comments");
        } catch (ApiProblem notJson) {
            return Lookup.unknown("GET " + path + " answered something that is not JSON");
        }
        if (!(comments instanceof List<?> list)) {
            return Lookup.unknown("GET " + path + " answered no comments list");
        }
        Instant from = since.minusSeconds(60);
        Map<String, Map<String, Object>> candidates = new LinkedHashMap<>();
        for (Object c : list) {
            Map<String, Object> comment = map(c);
            Instant created = parseCreated(stringField(comment, "created"));
            String id = stringField(comment, "id");
            if (id != null && created != null && !created.isBefore(from) && text.equals(AdfText.matchText(comment.get("body")))) {
                candidates.put(id, comment);
            }
        }
        candidates.keySet().removeAll(calls.knownVendorIds("addJiraComment", candidates.keySet()));
        if (candidates.isEmpty()) {
            return Lookup.notThere();
        }
        List<Map<String, Object>> found = new ArrayList<>(candidates.values()); // newest first: the oldest is the first lost try
        return Lookup.found(201, write(found.get(found.size() - 1)), listed.get().headers());
    }

    /** Jira's {@code created} ({@code 2026-11-27T02:30:00.000+0000}, or any ISO-8601 offset date-time); null if neither. */
    static Instant parseCreated(String value) {
        if (value == null) {
            return null;
        }
        for (DateTimeFormatter format : new DateTimeFormatter[] {
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z"), DateTimeFormatter.ISO_OFFSET_DATE_TIME}) {
            try {
                return OffsetDateTime.parse(value.trim(), format).toInstant();
            } catch (DateTimeParseException ignored) {
                // next format
            }
        }
        return null;
    }

    private String browseUrl(String key) {
        return settings.getBaseUrl().isEmpty() ? null : settings.getBaseUrl() + "/browse/" + key;
    }

    /** A numeric id (9 followed by the zero-padded call id) that cannot clash with Jira's own small ids. */
    static String syntheticCommentId(long callId) {
        return "9" + String.format("%09d", callId);
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "must not be blank");
        }
        return value;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> parsed = json.readValue(body, Argument.mapOf(String.class, Object.class));
            return parsed == null ? Map.of() : parsed;
        } catch (IOException e) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "Jira answered with something that is not JSON");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String stringField(Map<String, Object> map, String field) {
        Object value = map.get(field);
        return value == null ? null : value.toString();
    }
}
