package org.agentplatform.github.github;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.github.calls.CallLog;
import org.agentplatform.github.calls.CallRecord;
import org.agentplatform.github.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The GitHub operations the API offers. Each one is recorded in the call log before it is sent; with an
 * Idempotency-Key it is sent at most once and its result replayed; in dry-run it is recorded and answered
 * with a synthetic result (ids from a database sequence) and nothing is sent.
 */
@Singleton
public class GithubOperations {

    private static final Logger LOG = LoggerFactory.getLogger(GithubOperations.class);

    /** One kind of GitHub call: how to send it, how to read its answer, what to answer in dry-run. */
    private record Call<R>(String operation, String method, String path, @Nullable Map<String, Object> body, String subject,
                           Class<R> type, LongFunction<R> dryRun, Function<GithubResponse, R> success,
                           Function<R, String> vendorId,
                           @Nullable Function<GithubTransport.Auth, GithubTransport.LostAnswerCheck> lostAnswer) {
        Call(String operation, String method, String path, @Nullable Map<String, Object> body, String subject, Class<R> type,
             LongFunction<R> dryRun, Function<GithubResponse, R> success, Function<R, String> vendorId) {
            this(operation, method, path, body, subject, type, dryRun, success, vendorId, null);
        }
    }

    private final GithubAuth auth;
    private final GithubTransport transport;
    private final GithubErrors errors;
    private final CallLog callLog;
    private final JsonMapper json;
    private final MeterRegistry meters;

    public GithubOperations(GithubAuth auth, GithubTransport transport, GithubErrors errors, CallLog callLog, JsonMapper json,
                            MeterRegistry meters) {
        this.auth = auth;
        this.transport = transport;
        this.errors = errors;
        this.callLog = callLog;
        this.json = json;
        this.meters = meters;
    }

    /** POST /repos/{o}/{r}/issues/{n}/comments: a comment on an issue or on a pull request's conversation. */
    public Results.Outcome<Results.Comment> postComment(String operation, String owner, String repo, long number, String text,
                                                        @Nullable String idempotencyKey, CallContext context) {
        String path = "/repos/" + owner + "/" + repo + "/issues/" + number + "/comments";
        return run(new Call<>(operation, "POST", path, Map.of("body", text), path.substring(1), Results.Comment.class,
            id -> new Results.Comment(id, null, true),
            response -> comment(response, path),
            c -> Long.toString(c.commentId()),
            auth -> since -> findComment(path, text, since, auth)), idempotencyKey, context, owner, repo);
    }

    /**
     * The comment with exactly this text on the issue, created since the unanswered attempt began (GitHub's
     * {@code since} filter, with a minute of slack for clock skew): proof that the lost attempt succeeded.
     */
    private Optional<GithubResponse> findComment(String path, String text, Instant since, GithubTransport.Auth auth) {
        String query = "?per_page=100&since=" + since.minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        GithubResponse listed;
        try {
            listed = transport.send("GET", path + query, null, auth);
        } catch (GithubUnreachableException e) {
            return Optional.empty();
        }
        if (!listed.successful()) {
            return Optional.empty();
        }
        JsonNode comments;
        try {
            comments = json.readValue(listed.body(), JsonNode.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (comments == null || !comments.isArray()) {
            return Optional.empty();
        }
        for (JsonNode c : comments.values()) {
            if (text.equals(textField(c, "body")) && longField(c, "id") != null) {
                return Optional.of(new GithubResponse(201, listed.headers(), write(c).getBytes(StandardCharsets.UTF_8),
                    listed.attempts(), listed.durationMs()));
            }
        }
        return Optional.empty();
    }

    /** PATCH /repos/{o}/{r}/issues/comments/{id} (or /pulls/comments/{id} for a review comment). */
    public Results.Outcome<Results.Comment> updateComment(String owner, String repo, long commentId, Results.CommentKind kind,
                                                          String text, @Nullable String idempotencyKey, CallContext context) {
        String path = "/repos/" + owner + "/" + repo + "/" + kind.pathSegment() + "/comments/" + commentId;
        return run(new Call<>("updateComment", "PATCH", path, Map.of("body", text), path.substring(1), Results.Comment.class,
            id -> new Results.Comment(commentId, null, true),
            response -> comment(response, path),
            c -> Long.toString(c.commentId())), idempotencyKey, context, owner, repo);
    }


    /** POST /repos/{o}/{r}/issues/comments/{id}/reactions (or /pulls/comments/{id}/reactions). */
    public Results.Outcome<Results.Reaction> addReaction(String owner, String repo, long commentId, Results.CommentKind kind,
                                                         String content, @Nullable String idempotencyKey, CallContext context) {
        String path = "/repos/" + owner + "/" + repo + "/" + kind.pathSegment() + "/comments/" + commentId + "/reactions";
        return run(new Call<>("addReaction", "POST", path, Map.of("content", content), path.substring(1), Results.Reaction.class,
            id -> new Results.Reaction(id, true, true),
            response -> new Results.Reaction(longField(readJson(response, path), "id"), false, response.status() == 201),
            r -> r.reactionId() == null ? null : Long.toString(r.reactionId())), idempotencyKey, context, owner, repo);
    }

    /** GET /repos/{o}/{r}/issues/{n}: an issue or pull request. */
    public Results.IssueInfo getIssue(String owner, String repo, long number, CallContext context) {
        String path = "/repos/" + owner + "/" + repo + "/issues/" + number;
        return run(new Call<>("getIssue", "GET", path, null, path.substring(1), Results.IssueInfo.class,
            id -> new Results.IssueInfo(number, "Dry run: issue " + owner + "/" + repo + "#" + number + " was not fetched",
                null, "dry-run", List.of(), "open", false, null, true),
            response -> issue(readJson(response, path), number),
            i -> null), null, context, owner, repo).value();
    }

    private <R> Results.Outcome<R> run(Call<R> call, @Nullable String idempotencyKey, CallContext context, String owner,
                                       String repo) {
        long started = System.nanoTime();
        String url = transport.url(call.path());
        String requestBody = call.body() == null ? null : write(call.body());
        boolean dryRun = auth.dryRun();
        CallRecord row = CallRecord.start(call.operation(), call.method(), url, requestBody, dryRun, idempotencyKey,
            idempotencyKey == null ? null : fingerprint(call.operation(), call.method(), url, requestBody),
            context.correlationId(), context.caller());
        long id;
        if (idempotencyKey != null) {
            CallLog.Claim claim = callLog.claim(row);
            if (claim instanceof CallLog.Claim.Replay replay) {
                record(call, "replayed", started);
                return new Results.Outcome<>(read(replay.resultJson(), call.type()), true);
            }
            id = ((CallLog.Claim.Owned) claim).id();
        } else {
            id = callLog.begin(row);
        }
        boolean finished = false;
        try {
            R result;
            if (dryRun) {
                result = call.dryRun().apply(callLog.nextDryRunId());
                callLog.succeeded(id, null, call.vendorId().apply(result), elapsedMs(started), 0, resultJson(idempotencyKey, result));
                finished = true;
                LOG.info("DRY-RUN {} {} {}: recorded as call {}, nothing sent", call.operation(), call.method(), call.path(), id);
                record(call, "dry_run", started);
                return new Results.Outcome<>(result, false);
            }
            GithubTransport.Auth authorization = auth.authFor(owner, repo, context);
            GithubTransport.LostAnswerCheck lostAnswer = call.lostAnswer() == null ? null : call.lostAnswer().apply(authorization);
            // a retry of a keyed call whose earlier try got no answer: GitHub may have created it then
            GithubResponse response = lostAnswer == null || idempotencyKey == null ? null
                : callLog.unansweredAttemptSince(call.operation(), idempotencyKey).flatMap(lostAnswer::findCreated).orElse(null);
            if (response != null) {
                LOG.info("{} with Idempotency-Key {}: an earlier unanswered try had done it; not sending again",
                    call.operation(), idempotencyKey);
            } else {
                response = transport.send(call.method(), call.path(), requestBody, authorization, lostAnswer);
            }
            if (!response.successful()) {
                ApiProblem problem = errors.map(response, call.subject(), auth.mode());
                callLog.failed(id, response.status(), response.durationMs(), response.attempts(), problem.detail());
                finished = true;
                record(call, Integer.toString(response.status()), started);
                throw problem;
            }
            result = call.success().apply(response);
            callLog.succeeded(id, response.status(), call.vendorId().apply(result), response.durationMs(), response.attempts(),
                resultJson(idempotencyKey, result));
            finished = true;
            record(call, Integer.toString(response.status()), started);
            return new Results.Outcome<>(result, false);
        } catch (GithubUnreachableException e) {
            callLog.failed(id, null, e.durationMs(), e.attempts(), e.getMessage());
            finished = true;
            record(call, "unreachable", started);
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, e.getMessage() + "; GitHub is unreachable from github-service at "
                + transport.url("") + ", retry later");
        } finally {
            if (!finished) {
                // an ApiProblem from authentication or reading the answer, or a bug: the row must not stay in progress
                callLog.failed(id, null, elapsedMs(started), 0, "not completed: see the service log for call " + id);
            }
        }
    }

    private Results.Comment comment(GithubResponse response, String path) {
        JsonNode node = readJson(response, path);
        Long id = longField(node, "id");
        if (id == null) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "GitHub's answer to " + path.substring(1) + " has no comment id");
        }
        return new Results.Comment(id, textField(node, "html_url"), false);
    }

    private static Results.IssueInfo issue(JsonNode node, long number) {
        List<String> labels = new ArrayList<>();
        JsonNode labelNodes = node.get("labels");
        if (labelNodes != null && labelNodes.isArray()) {
            for (JsonNode label : labelNodes.values()) {
                String name = label.isString() ? label.getStringValue() : textField(label, "name");
                if (name != null) {
                    labels.add(name);
                }
            }
        }
        JsonNode user = node.get("user");
        String author = user == null ? null : textField(user, "login");
        Long actual = longField(node, "number");
        JsonNode pr = node.get("pull_request");
        return new Results.IssueInfo(actual == null ? number : actual, nullToEmpty(textField(node, "title")), textField(node, "body"),
            author == null ? "ghost" : author, labels, nullToEmpty(textField(node, "state")), pr != null && !pr.isNull(),
            textField(node, "html_url"), false);
    }

    private JsonNode readJson(GithubResponse response, String path) {
        try {
            JsonNode node = json.readValue(response.body(), JsonNode.class);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // fall through
        }
        throw new ApiProblem(HttpStatus.BAD_GATEWAY, "GitHub answered " + response.status() + " to " + path.substring(1)
            + " with a body that is not a JSON object");
    }

    @Nullable
    private static Long longField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.getLongValue() : null;
    }

    @Nullable
    private static String textField(JsonNode node, String field) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        return value != null && value.isString() ? value.getStringValue() : null;
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    @Nullable
    private String resultJson(@Nullable String idempotencyKey, Object result) {
        return idempotencyKey == null ? null : write(result);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value instanceof Map<?, ?> map ? new LinkedHashMap<>(map) : value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <R> R read(String text, Class<R> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(Call<?> call, String outcome, long started) {
        Timer.builder("github.calls")
            .description("Calls to the GitHub API by operation and outcome (status, dry_run, replayed, unreachable)")
            .tag("operation", call.operation())
            .tag("outcome", outcome)
            .register(meters)
            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** SHA-256 over what makes two requests the same request. */
    static String fingerprint(String operation, String method, String url, @Nullable String body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{operation, method, url, body == null ? "" : body}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
