package org.agentplatform.agent.answer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswersTest {

    @Test
    void aGithubAnswerEndsWithTheHiddenMarker() {
        assertThat(Answers.body("github", "t-1", "Done.", Answers.MAX_BODY_CHARS)).isEqualTo("Done.\n\n<!-- agent-platform:task=t-1 -->")
                .contains(Answers.MARKER_PREFIX);
    }

    @Test
    void answersOnVendorsThatShowHtmlCommentsCarryNoMarker() {
        for (String vendor : new String[] {"slack", "jira", "sentry", "api"}) {
            assertThat(Answers.body(vendor, "t-1", "  Done.\n", 16_000)).as(vendor).isEqualTo("Done.");
            assertThat(Answers.progressBody(vendor, "t-1", "⏳ Working on it…")).as(vendor).isEqualTo("⏳ Working on it…");
        }
        assertThat(Answers.progressBody("github", "t-1", "⏳ Working on it…"))
                .isEqualTo("⏳ Working on it…\n\n<!-- agent-platform:progress=t-1 -->");
    }

    @Test
    void aLongAnswerIsCutToTheVendorLimitKeepingTheMarker() {
        String body = Answers.body("github", "t-2", "y".repeat(70_000), Answers.MAX_BODY_CHARS);
        assertThat(body).hasSize(Answers.MAX_BODY_CHARS);
        assertThat(body).endsWith("<!-- agent-platform:task=t-2 -->").contains("… (cut: the full answer is in the agent API)");
    }

    @Test
    void theIdempotencyKeyIsDerivedFromTheTaskId() {
        assertThat(Answers.idempotencyKey("7d0c6e8e-5b0e")).isEqualTo("task-7d0c6e8e-5b0e-answer");
        assertThat(Answers.idempotencyKey("weird id/ä")).matches("task-h[0-9a-f]{32}-answer")
                .isEqualTo(Answers.idempotencyKey("weird id/ä"));
    }

    @Test
    void onlyHeaderSafeCorrelationIdsArePassedOn() {
        assertThat(Answers.correlationHeader("3f1c2a9e-8d47")).isEqualTo("3f1c2a9e-8d47");
        assertThat(Answers.correlationHeader("bad value")).isNull();
        assertThat(Answers.correlationHeader(null)).isNull();
    }

    @Test
    void theProgressKeyAndMarkerAreTheTasksOwnAndDifferFromTheAnswers() {
        assertThat(Answers.progressKey("7d0c6e8e-5b0e")).isEqualTo("task-7d0c6e8e-5b0e-progress");
        assertThat(Answers.progressKey("weird id/ä")).matches("task-h[0-9a-f]{32}-progress");
        assertThat(Answers.progressMarker("t-1")).isEqualTo("<!-- agent-platform:progress=t-1 -->")
                .startsWith(Answers.MARKER_PREFIX).isNotEqualTo(Answers.marker("t-1"));
    }

    @Test
    void aBodyIsCutToTheGivenVendorLimit() {
        String body = Answers.body("github", "t-3", "z".repeat(20_000), 16_000);
        assertThat(body).hasSize(16_000).endsWith(Answers.marker("t-3")).contains("(cut: the full answer is in the agent API)");
        assertThat(Answers.body("github", "t-3", "short", 16_000)).isEqualTo("short\n\n" + Answers.marker("t-3"));
        String slack = Answers.body("slack", "t-3", "z".repeat(20_000), 16_000);
        assertThat(slack).as("no marker: all the room is the answer's").hasSize(16_000)
                .endsWith("(cut: the full answer is in the agent API)").doesNotContain("<!--");
    }
}
