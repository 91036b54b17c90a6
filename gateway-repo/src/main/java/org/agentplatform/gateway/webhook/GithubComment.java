package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;
import org.agentplatform.gateway.messages.GithubSource;

/** The facts of a triggering GitHub comment, read from the delivery's payload. */
public record GithubComment(
        String owner,
        String repo,
        long number,
        long commentId,
        GithubSource.CommentType commentType,
        boolean pullRequest,
        String login,
        String body,
        @Nullable String htmlUrl) {

    /** {@code github:<owner>/<repo>#<number>}: one conversation per issue or pull request. */
    public String sessionId() {
        return "github:" + owner + "/" + repo + "#" + number;
    }
}
