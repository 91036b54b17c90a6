package org.agentplatform.github.github;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What the GitHub operations produce, independent of the HTTP API's models (the controllers map these to
 * the contract's generated models). Serializable: the results of keyed calls are stored for replay.
 */
public final class Results {

    private Results() {
    }

    /** A comment that was created or updated (or, in dry-run, would have been). */
    @Serdeable
    public record Comment(long commentId, @Nullable String htmlUrl, boolean dryRun) {
    }

    /** A reaction on a comment; {@code created} is false when it already existed (GitHub answered 200). */
    @Serdeable
    public record Reaction(@Nullable Long reactionId, boolean dryRun, boolean created) {
    }

    /** An issue or pull request. */
    @Serdeable
    public record IssueInfo(long number, String title, @Nullable String body, String author, List<String> labels,
                            String state, boolean pullRequest, @Nullable String htmlUrl, boolean dryRun) {
    }

    /** A result and whether it was replayed for a repeated Idempotency-Key (nothing was sent this time). */
    public record Outcome<R>(R value, boolean replayed) {
    }

    /** Which kind of comment an id names: they live under different GitHub paths. */
    public enum CommentKind {
        ISSUE_COMMENT("issue_comment", "issues"),
        REVIEW_COMMENT("review_comment", "pulls");

        private final String apiName;
        private final String pathSegment;

        CommentKind(String apiName, String pathSegment) {
            this.apiName = apiName;
            this.pathSegment = pathSegment;
        }

        public String apiName() {
            return apiName;
        }

        /** {@code issues} or {@code pulls}, as in {@code /repos/o/r/issues/comments/{id}}. */
        public String pathSegment() {
            return pathSegment;
        }

        /** The kind for an API value ({@code issue_comment}, {@code review_comment}); null/empty → issue comment. */
        @Nullable
        public static CommentKind fromApi(@Nullable String value) {
            if (value == null || value.isEmpty()) {
                return ISSUE_COMMENT;
            }
            for (CommentKind kind : values()) {
                if (kind.apiName.equals(value)) {
                    return kind;
                }
            }
            return null;
        }
    }
}
