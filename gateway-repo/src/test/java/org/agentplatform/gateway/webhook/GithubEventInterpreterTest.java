package org.agentplatform.gateway.webhook;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.agentplatform.gateway.config.GithubSettings;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.messages.GithubSource;
import org.agentplatform.gateway.support.GithubPayloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.agentplatform.gateway.support.GithubPayloads.ISSUE_COMMENT_CREATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decisions on GitHub's real payloads. */
class GithubEventInterpreterTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static GithubEventInterpreter interpreter(String allowedUsers, String botLogin) {
        GithubSettings s = new GithubSettings();
        s.setAllowedUsers(allowedUsers);
        s.setBotLogin(botLogin);
        s.setTrigger("@agent");
        return new GithubEventInterpreter(s);
    }

    private static JsonNode json(byte[] body) throws IOException {
        return JSON.readValue(body, JsonNode.class);
    }

    @Test
    void issueCommentOnPullRequestBecomesATaskWithEverythingTheAgentNeeds() throws IOException {
        GithubDecision d = interpreter("", "").decide("issue_comment",
                json(GithubPayloads.prComment("@agent please review")));
        assertThat(d).isInstanceOf(GithubDecision.CreateTask.class);
        GithubComment c = ((GithubDecision.CreateTask) d).comment();
        assertThat(c).isEqualTo(new GithubComment("Codertocat", "Hello-World", 1, 492700400L,
                GithubSource.CommentType.ISSUE_COMMENT, true, "Codertocat", "@agent please review",
                GithubPayloads.ISSUE_COMMENT_URL));
        assertThat(c.sessionId()).isEqualTo("github:Codertocat/Hello-World#1");
        assertThat(((GithubDecision.CreateTask) d).reason()).isEqualTo("@agent mentioned by Codertocat");
    }

    @Test
    void reviewCommentIsAReviewCommentOnThePullRequest() throws IOException {
        GithubDecision d = interpreter("", "").decide("pull_request_review_comment",
                json(GithubPayloads.reviewComment("@agent nit?")));
        GithubComment c = ((GithubDecision.CreateTask) d).comment();
        assertThat(c.number()).isEqualTo(2);
        assertThat(c.commentId()).isEqualTo(284312630L);
        assertThat(c.commentType()).isEqualTo(GithubSource.CommentType.REVIEW_COMMENT);
        assertThat(c.pullRequest()).isTrue();
        assertThat(c.htmlUrl()).isEqualTo(GithubPayloads.REVIEW_COMMENT_URL);
    }

    @Test
    void emptyAllowedUsersAllowsEveryone() throws IOException {
        assertThat(interpreter(" ", "").decide("issue_comment", json(GithubPayloads.issueComment("@agent go"))))
                .isInstanceOf(GithubDecision.CreateTask.class);
    }

    @Test
    void allowedUsersIsACaseInsensitiveCommaList() throws IOException {
        byte[] body = GithubPayloads.issueComment("@agent go");
        assertThat(interpreter("alice, codertocat ,bob", "").decide("issue_comment", json(body)))
                .isInstanceOf(GithubDecision.CreateTask.class);
        assertThat(interpreter("alice,bob", "").decide("issue_comment", json(body)))
                .isEqualTo(new GithubDecision.Ignore("Codertocat is not in ALLOWED_USERS"));
    }

    @Test
    void botTypeBotLoginAndMarkerNeverTrigger() throws IOException {
        byte[] byBot = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("@agent x")
                .andThen(GithubPayloads.commentAuthor("my-app[bot]", "Bot")));
        assertThat(interpreter("", "").decide("issue_comment", json(byBot)))
                .isEqualTo(new GithubDecision.Ignore("comment by a bot (my-app[bot])"));

        byte[] byAgentAccount = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("@agent x")
                .andThen(GithubPayloads.commentAuthor("Agent-Account", "User")));
        assertThat(interpreter("", "agent-account").decide("issue_comment", json(byAgentAccount)))
                .isEqualTo(new GithubDecision.Ignore("comment by the agent's own account (Agent-Account)"));

        byte[] marked = GithubPayloads.issueComment("Done, @agent was asked.\n<!-- agent-platform:task=1 -->");
        assertThat(interpreter("", "").decide("issue_comment", json(marked)))
                .isInstanceOf(GithubDecision.Ignore.class);
    }

    @Test
    void botIsIgnoredEvenWhenAllowed() throws IOException {
        byte[] byBot = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("@agent x")
                .andThen(GithubPayloads.commentAuthor("ci[bot]", "Bot")));
        assertThat(interpreter("ci[bot]", "").decide("issue_comment", json(byBot)))
                .isInstanceOf(GithubDecision.Ignore.class);
    }

    @Test
    void pingAndOtherEvents() throws IOException {
        assertThat(interpreter("", "").decide("ping", json(GithubPayloads.raw(GithubPayloads.PING))))
                .isEqualTo(new GithubDecision.Pong("ping received"));
        assertThat(interpreter("", "").decide("issues", json("{\"action\":\"opened\"}".getBytes())))
                .isEqualTo(new GithubDecision.Ignore("event 'issues' does not create tasks"));
    }

    @Test
    void missingFieldsOfATriggeringCommentAre400() throws IOException {
        byte[] noId = GithubPayloads.derive(ISSUE_COMMENT_CREATED, GithubPayloads.commentBody("@agent x")
                .andThen(p -> GithubPayloads.map(p, "comment").remove("id")));
        assertThatThrownBy(() -> interpreter("", "").decide("issue_comment", json(noId)))
                .isInstanceOf(ProblemException.class).hasMessage("comment.id: must be a positive integer");
    }
}
