package org.agentplatform.github;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.github.support.Api;
import org.agentplatform.github.support.ServiceTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GITHUB_TOKEN set: the service talks to a fake GitHub (WireMock). Exact requests, answers, idempotency,
 * retries and the mapping of GitHub's errors.
 */
@MicronautTest(transactional = false)
class RealModeTest extends ServiceTestBase {

    private static final String TOKEN = "ghp_test_token_1234567890";

    @Override
    protected Map<String, String> settings() {
        return Map.of("github.token", TOKEN, "github.idempotency-wait", "1500ms", "github.user-agent", "github-service-test/1");
    }

    @BeforeEach
    void resetFakeGithub() {
        github.resetAll();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    private void stubComment(int issue, long commentId) {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/" + issue + "/comments"))
            .willReturn(json(201, "{\"id\": " + commentId + ", \"html_url\": \"https://github.com/octo/hello/pull/" + issue
                + "#issuecomment-" + commentId + "\", \"body\": \"x\"}")));
    }

    @Test
    void prCommentSendsExactlyTheGithubRequestAndReturnsGithubsId() {
        stubComment(7, 98765);
        String correlationId = "real-" + UUID.randomUUID();
        Api.Response r = api().post("/api/v1/github/pr/octo/hello/7/comment", "{\"comment\": \"Ship it \\u2705\"}",
            "X-Correlation-Id", correlationId);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("success", true).containsEntry("message", "Comment posted");
        assertThat(r.getLong("comment_id")).isEqualTo(98765);
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/7/comments"))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withHeader("User-Agent", equalTo("github-service-test/1"))
            .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
            .withRequestBody(equalToJson("{\"body\": \"Ship it \u2705\"}")));
        assertThat(github.getAllServeEvents()).hasSize(1);

        Map<String, Object> call = api().get("/api/v1/github/calls?correlation_id=" + correlationId).list("items").get(0);
        assertThat(call).containsEntry("dry_run", false).containsEntry("status_code", 201).containsEntry("vendor_id", "98765")
            .containsEntry("attempts", 1).containsEntry("operation", "postPrComment");
        assertThat(((Number) call.get("duration_ms")).longValue()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void issueCommentUpdateAndReactionsUseGithubsPaths() {
        stubComment(8, 5001);
        github.stubFor(patch(urlPathEqualTo("/repos/octo/hello/issues/comments/5001"))
            .willReturn(json(200, "{\"id\": 5001, \"html_url\": \"https://github.com/octo/hello/issues/8#issuecomment-5001\"}")));
        github.stubFor(patch(urlPathEqualTo("/repos/octo/hello/pulls/comments/6001"))
            .willReturn(json(200, "{\"id\": 6001, \"html_url\": \"https://github.com/octo/hello/pull/9#discussion_r6001\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/comments/5001/reactions"))
            .willReturn(json(201, "{\"id\": 777, \"content\": \"eyes\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/pulls/comments/6001/reactions"))
            .willReturn(json(200, "{\"id\": 778, \"content\": \"rocket\"}")));

        Api api = api();
        Api.Response posted = api.post("/api/v1/github/issues/octo/hello/8/comment", "{\"body\": \"Working on it\"}");
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(posted.json()).containsEntry("comment_id", 5001).containsEntry("dry_run", false)
            .containsEntry("html_url", "https://github.com/octo/hello/pull/8#issuecomment-5001");

        Api.Response updated = api.patch("/api/v1/github/comments/octo/hello/5001", "{\"body\": \"Done\"}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json()).containsEntry("comment_id", 5001).containsEntry("message", "Comment updated");
        github.verify(patchRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/comments/5001"))
            .withRequestBody(equalToJson("{\"body\": \"Done\"}")));

        Api.Response review = api.patch("/api/v1/github/comments/octo/hello/6001?comment_type=review_comment", "{\"body\": \"Fixed\"}");
        assertThat(review.status()).as(review.body()).isEqualTo(200);
        assertThat(review.getLong("comment_id")).isEqualTo(6001);

        Api.Response eyes = api.post("/api/v1/github/comments/octo/hello/5001/reactions", "{\"content\": \"eyes\"}");
        assertThat(eyes.status()).as(eyes.body()).isEqualTo(200);
        assertThat(eyes.json()).containsEntry("success", true).containsEntry("dry_run", false).containsEntry("reaction_id", 777)
            .containsEntry("message", "Reaction added");
        github.verify(postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/comments/5001/reactions"))
            .withRequestBody(equalToJson("{\"content\": \"eyes\"}")));

        Api.Response rocket = api.post("/api/v1/github/comments/octo/hello/6001/reactions",
            "{\"content\": \"rocket\", \"comment_type\": \"review_comment\"}");
        assertThat(rocket.status()).as(rocket.body()).isEqualTo(200);
        assertThat(rocket.json()).containsEntry("reaction_id", 778).containsEntry("message", "Reaction already present");
    }

    @Test
    void getIssueMapsGithubsIssueAndPullRequest() {
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/7")).willReturn(json(200, """
            {"number": 7, "title": "Flaky test", "body": "Fails one run in ten", "state": "open",
             "user": {"login": "octocat"}, "labels": [{"name": "bug"}, {"name": "ci"}],
             "html_url": "https://github.com/octo/hello/pull/7", "pull_request": {"url": "https://api.github.com/x"}}""")));
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/8")).willReturn(json(200, """
            {"number": 8, "title": "Docs", "body": null, "state": "closed", "user": {"login": "hubot"}, "labels": []}""")));

        Api.Response pr = api().get("/api/v1/github/issues/octo/hello/7");
        assertThat(pr.status()).as(pr.body()).isEqualTo(200);
        assertThat(pr.json()).containsEntry("number", 7).containsEntry("title", "Flaky test").containsEntry("author", "octocat")
            .containsEntry("labels", List.of("bug", "ci")).containsEntry("state", "open").containsEntry("is_pull_request", true)
            .containsEntry("body", "Fails one run in ten").containsEntry("html_url", "https://github.com/octo/hello/pull/7");

        Api.Response issue = api().get("/api/v1/github/issues/octo/hello/8");
        assertThat(issue.json()).containsEntry("is_pull_request", false).containsEntry("state", "closed")
            .containsEntry("labels", List.of()).doesNotContainKey("body");
    }

    @Test
    void sameIdempotencyKeySendsOnceAndReplaysTheAnswer() {
        stubComment(20, 2020);
        String key = "task-" + UUID.randomUUID() + "-answer";
        Api.Response first = api().post("/api/v1/github/issues/octo/hello/20/comment", "{\"body\": \"The answer\"}", "Idempotency-Key", key);
        Api.Response second = api().post("/api/v1/github/issues/octo/hello/20/comment", "{\"body\": \"The answer\"}", "Idempotency-Key", key);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/20/comments")));

        Api.Response different = api().post("/api/v1/github/issues/octo/hello/20/comment", "{\"body\": \"Another answer\"}",
            "Idempotency-Key", key);
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.contentType()).startsWith("application/problem+json");
        assertThat((String) different.get("detail")).contains(key).contains("different");
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/20/comments")));
    }

    @Test
    void concurrentDuplicatesSendOnceAndAllGetTheSameAnswer() throws Exception {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/21/comments"))
            .willReturn(json(201, "{\"id\": 2121, \"html_url\": \"https://github.com/octo/hello/issues/21#issuecomment-2121\"}")
                .withFixedDelay(600)));
        String key = "task-" + UUID.randomUUID() + "-answer";
        int callers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return api().post("/api/v1/github/pr/octo/hello/21/comment", "{\"comment\": \"Once\"}", "Idempotency-Key", key);
                }));
            }
            start.countDown();
            for (Future<Api.Response> result : results) {
                Api.Response r = result.get();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.getLong("comment_id")).isEqualTo(2121);
            }
        } finally {
            pool.shutdownNow();
        }
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/21/comments")));
    }

    @Test
    void aDuplicateOfACallStillInFlightAfterTheWaitGets409() throws Exception {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/22/comments"))
            .willReturn(json(201, "{\"id\": 2222}").withFixedDelay(3000)));
        String key = "task-" + UUID.randomUUID() + "-answer";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Api.Response> first = pool.submit(() ->
                api().post("/api/v1/github/pr/octo/hello/22/comment", "{\"comment\": \"Slow\"}", "Idempotency-Key", key));
            Thread.sleep(400);
            Api.Response duplicate = api().post("/api/v1/github/pr/octo/hello/22/comment", "{\"comment\": \"Slow\"}",
                "Idempotency-Key", key);
            assertThat(duplicate.status()).as(duplicate.body()).isEqualTo(409);
            assertThat(duplicate.contentType()).startsWith("application/problem+json");
            assertThat(duplicate.header("Retry-After")).isEqualTo("1");
            assertThat(first.get().status()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        Api.Response after = api().post("/api/v1/github/pr/octo/hello/22/comment", "{\"comment\": \"Slow\"}", "Idempotency-Key", key);
        assertThat(after.getLong("comment_id")).isEqualTo(2222);
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/22/comments")));
    }

    @Test
    void aFailedKeyedCallMayBeRetriedWithTheSameKey() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/23/comments"))
            .willReturn(json(422, "{\"message\": \"Validation Failed\", \"errors\": [{\"message\": \"issue is locked\"}]}")));
        String key = "task-" + UUID.randomUUID() + "-answer";
        Api.Response refused = api().post("/api/v1/github/issues/octo/hello/23/comment", "{\"body\": \"x\"}", "Idempotency-Key", key);
        assertThat(refused.status()).isEqualTo(422);
        assertThat((String) refused.get("detail")).contains("GitHub answered 422").contains("Validation Failed").contains("issue is locked");

        stubComment(23, 2323);
        Api.Response retried = api().post("/api/v1/github/issues/octo/hello/23/comment", "{\"body\": \"x\"}", "Idempotency-Key", key);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.getLong("comment_id")).isEqualTo(2323);
        github.verify(2, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/23/comments")));
    }

    @Test
    void anAnswerLostAfterGithubCreatedTheCommentIsFoundInsteadOfPostingTwice() {
        // GitHub took the comment, then the connection broke before its answer: GitHub has no idempotency keys
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/40/comments"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/40/comments")).willReturn(json(200, """
            [{"id": 3900, "body": "someone else's comment"},
             {"id": 4040, "html_url": "https://github.com/octo/hello/issues/40#issuecomment-4040", "body": "Answer once"}]""")));

        Api.Response r = api().post("/api/v1/github/issues/octo/hello/40/comment", "{\"body\": \"Answer once\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.getLong("comment_id")).isEqualTo(4040);
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/40/comments")));
        github.verify(1, WireMock.getRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/40/comments"))
            .withQueryParam("since", WireMock.matching("\\d{4}-\\d{2}-\\d{2}T.*Z")));
    }

    @Test
    void aKeyedRetryAfterAnUnansweredCallLooksForTheCommentBeforePosting() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/42/comments"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/42/comments")).willReturn(json(200, "[]")));
        String key = "task-" + UUID.randomUUID() + "-answer";
        Api.Response first = api().post("/api/v1/github/issues/octo/hello/42/comment", "{\"body\": \"Late answer\"}",
            "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(502);
        int posts = github.findAll(postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/42/comments"))).size();

        // GitHub had taken one of those posts after all: the caller's retry with the same key must find it
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/42/comments"))
            .willReturn(json(200, "[{\"id\": 4242, \"body\": \"Late answer\"}]")));
        Api.Response retry = api().post("/api/v1/github/issues/octo/hello/42/comment", "{\"body\": \"Late answer\"}",
            "Idempotency-Key", key);

        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.getLong("comment_id")).isEqualTo(4242);
        github.verify(posts, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/42/comments")));
    }

    @Test
    void anAnswerLostBeforeGithubCreatedTheCommentIsPostedAgain() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/41/comments")).inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/41/comments")).inScenario("lost")
            .whenScenarioStateIs("answered").willReturn(json(201, "{\"id\": 4141}")));
        github.stubFor(WireMock.get(urlPathEqualTo("/repos/octo/hello/issues/41/comments"))
            .willReturn(json(200, "[{\"id\": 3900, \"body\": \"someone else's comment\"}]")));

        Api.Response r = api().post("/api/v1/github/issues/octo/hello/41/comment", "{\"body\": \"Answer once\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.getLong("comment_id")).isEqualTo(4141);
        github.verify(2, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/41/comments")));
    }

    @Test
    void a500IsRetriedUntilGithubAnswers201() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/30/comments")).inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED).willReturn(json(500, "{\"message\": \"Server Error\"}")).willSetStateTo("recovered"));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/30/comments")).inScenario("flaky")
            .whenScenarioStateIs("recovered").willReturn(json(201, "{\"id\": 3030}")));
        String correlationId = UUID.randomUUID().toString();

        Api.Response r = api().post("/api/v1/github/pr/octo/hello/30/comment", "{\"comment\": \"retry me\"}", "X-Correlation-Id", correlationId);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.getLong("comment_id")).isEqualTo(3030);
        github.verify(2, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/30/comments")));
        Map<String, Object> call = api().get("/api/v1/github/calls?correlation_id=" + correlationId).list("items").get(0);
        assertThat(call).containsEntry("attempts", 2).containsEntry("status_code", 201);
    }

    @Test
    void a429WithRetryAfterWaitsThatLongThenRetries() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/31/comments")).inScenario("limited")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(json(429, "{\"message\": \"Too many\"}").withHeader("Retry-After", "1")).willSetStateTo("free"));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/31/comments")).inScenario("limited")
            .whenScenarioStateIs("free").willReturn(json(201, "{\"id\": 3131}")));

        long started = System.nanoTime();
        Api.Response r = api().post("/api/v1/github/pr/octo/hello/31/comment", "{\"comment\": \"wait\"}");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.getLong("comment_id")).isEqualTo(3131);
        assertThat(tookMs).as("honours Retry-After: 1").isGreaterThanOrEqualTo(1000);
        github.verify(2, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/31/comments")));
    }

    @Test
    void aPrimaryRateLimit403WaitsForTheResetThenRetries() {
        long reset = Instant.now().getEpochSecond();
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/32/comments")).inScenario("primary")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(json(403, "{\"message\": \"API rate limit exceeded\"}")
                .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", Long.toString(reset)))
            .willSetStateTo("reset"));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/32/comments")).inScenario("primary")
            .whenScenarioStateIs("reset").willReturn(json(201, "{\"id\": 3232}")));

        Api.Response r = api().post("/api/v1/github/pr/octo/hello/32/comment", "{\"comment\": \"limited\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.getLong("comment_id")).isEqualTo(3232);
        github.verify(2, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/32/comments")));
    }

    @Test
    void aRateLimitLongerThanTheRetryBudgetIs503WithRetryAfterAtOnce() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/33/comments"))
            .willReturn(json(429, "{\"message\": \"Too many\"}").withHeader("Retry-After", "3600")));

        long started = System.nanoTime();
        Api.Response r = api().post("/api/v1/github/pr/octo/hello/33/comment", "{\"comment\": \"later\"}");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).isEqualTo("3600");
        assertThat((String) r.get("detail")).contains("rate limit");
        assertThat(tookMs).isLessThan(3000);
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/33/comments")));
    }

    @Test
    void persistent5xxIs502AfterMaxAttempts() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/34/comments")).willReturn(json(503, "{\"message\": \"Unavailable\"}")));
        String correlationId = UUID.randomUUID().toString();

        Api.Response r = api().post("/api/v1/github/pr/octo/hello/34/comment", "{\"comment\": \"x\"}", "X-Correlation-Id", correlationId);

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat((String) r.get("detail")).contains("503").contains("4 attempt");
        github.verify(4, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/34/comments")));
        Map<String, Object> call = api().get("/api/v1/github/calls?correlation_id=" + correlationId).list("items").get(0);
        assertThat(call).containsEntry("attempts", 4).containsEntry("status_code", 503);
        assertThat((String) call.get("error")).contains("503");
    }

    @Test
    void noAnswerAtAllIsRetriedThen502() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/35/comments"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Api.Response r = api().post("/api/v1/github/pr/octo/hello/35/comment", "{\"comment\": \"x\"}");

        assertThat(r.status()).isEqualTo(502);
        assertThat((String) r.get("detail")).contains("after 4 attempt");
        github.verify(4, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/35/comments")));
    }

    @Test
    void githubErrorsMapToProblems() {
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/404/comments"))
            .willReturn(json(404, "{\"message\": \"Not Found\", \"documentation_url\": \"https://docs.github.com\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/401/comments"))
            .willReturn(json(401, "{\"message\": \"Bad credentials\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/octo/hello/issues/403/comments"))
            .willReturn(json(403, "{\"message\": \"Resource not accessible by personal access token\"}")
                .withHeader("x-ratelimit-remaining", "4999")));

        Api.Response notFound = api().post("/api/v1/github/pr/octo/hello/404/comment", "{\"comment\": \"x\"}");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.contentType()).startsWith("application/problem+json");
        assertThat((String) notFound.get("detail")).contains("GitHub answered 404").contains("repos/octo/hello/issues/404");

        Api.Response unauthorized = api().post("/api/v1/github/pr/octo/hello/401/comment", "{\"comment\": \"x\"}");
        assertThat(unauthorized.status()).isEqualTo(502);
        assertThat((String) unauthorized.get("detail")).contains("401").contains("Bad credentials").contains("GITHUB_TOKEN");
        assertThat(unauthorized.body()).doesNotContain(TOKEN);

        Api.Response forbidden = api().post("/api/v1/github/pr/octo/hello/403/comment", "{\"comment\": \"x\"}");
        assertThat(forbidden.status()).isEqualTo(502);
        assertThat((String) forbidden.get("detail")).contains("403").contains("permission").contains("Issues and Pull requests");
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/401/comments")));
        github.verify(1, postRequestedFor(urlPathEqualTo("/repos/octo/hello/issues/403/comments")));

        Api.Response calls = api().get("/api/v1/github/calls?dry_run=false&size=200");
        assertThat(calls.list("items")).allSatisfy(c -> assertThat(String.valueOf(c)).doesNotContain(TOKEN));
    }
}
