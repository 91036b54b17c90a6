package org.agentplatform.gateway.support;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * GitHub's own webhook payloads (src/test/resources/github, see the README there) and variations
 * derived from them.
 */
public final class GithubPayloads {

    public static final String ISSUE_COMMENT_CREATED = "issue_comment.created.payload.json";
    public static final String ISSUE_COMMENT_EDITED = "issue_comment.edited.payload.json";
    public static final String REVIEW_COMMENT_CREATED = "pull_request_review_comment.created.payload.json";
    public static final String PING = "ping.payload.json";

    /** Values in the fixtures. */
    public static final String OWNER = "Codertocat";
    public static final String REPO = "Hello-World";
    public static final long ISSUE_NUMBER = 1;
    public static final long ISSUE_COMMENT_ID = 492700400L;
    public static final String ISSUE_COMMENT_URL = "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400";
    public static final long PR_NUMBER = 2;
    public static final long REVIEW_COMMENT_ID = 284312630L;
    public static final String REVIEW_COMMENT_URL = "https://github.com/Codertocat/Hello-World/pull/2#discussion_r284312630";

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private GithubPayloads() {
    }

    /** A fixture exactly as GitHub sends it. */
    public static byte[] raw(String name) {
        try (InputStream in = GithubPayloads.class.getResourceAsStream("/github/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture with changes applied to its parsed form, serialized again. */
    public static byte[] derive(String name, Consumer<Map<String, Object>> change) {
        try {
            Map<String, Object> payload = JSON.readValue(raw(name), Argument.mapOf(String.class, Object.class));
            change.accept(payload);
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's issue_comment.created example, with {@code body} as the comment. */
    public static byte[] issueComment(String body) {
        return derive(ISSUE_COMMENT_CREATED, commentBody(body));
    }

    /** GitHub's issue_comment.created example, on a pull request's conversation, with {@code body}. */
    public static byte[] prComment(String body) {
        return derive(ISSUE_COMMENT_CREATED, commentBody(body).andThen(onPullRequest()));
    }

    /** GitHub's pull_request_review_comment.created example with {@code body}. */
    public static byte[] reviewComment(String body) {
        return derive(REVIEW_COMMENT_CREATED, commentBody(body));
    }

    public static Consumer<Map<String, Object>> commentBody(String body) {
        return p -> map(p, "comment").put("body", body);
    }

    public static Consumer<Map<String, Object>> commentAuthor(String login, String type) {
        return p -> {
            Map<String, Object> user = map(map(p, "comment"), "user");
            user.put("login", login);
            user.put("type", type);
        };
    }

    /** What GitHub puts in {@code issue.pull_request} when the issue is a pull request. */
    public static Consumer<Map<String, Object>> onPullRequest() {
        return p -> {
            Map<String, Object> pr = new LinkedHashMap<>();
            pr.put("url", "https://api.github.com/repos/Codertocat/Hello-World/pulls/1");
            pr.put("html_url", "https://github.com/Codertocat/Hello-World/pull/1");
            pr.put("diff_url", "https://github.com/Codertocat/Hello-World/pull/1.diff");
            pr.put("patch_url", "https://github.com/Codertocat/Hello-World/pull/1.patch");
            pr.put("merged_at", null);
            map(p, "issue").put("pull_request", pr);
        };
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
