package org.agentplatform.github;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.agentplatform.github.support.Api;
import org.agentplatform.github.support.ServiceTestBase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No GitHub credentials: dry-run. The API's validation and error shapes, service tokens, correlation ids,
 * and that every call is recorded and nothing reaches GitHub.
 */
@MicronautTest(transactional = false)
class DryRunApiTest extends ServiceTestBase {

    private static final String PR = "/api/v1/github/pr/octo/hello/7/comment";

    @Test
    void emptyCommentIs400NamingTheField() {
        Api.Response r = api().post(PR, "{\"comment\": \"\"}");
        assertValidationProblem(r, "comment");
        assertThat((String) r.get("detail")).startsWith("comment: ").contains("between 1 and 65536");
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void commentOf65537CharactersIs400AndOf65536Is200() {
        assertValidationProblem(api().post(PR, api().json(Map.of("comment", "x".repeat(65537)))), "comment");
        Api.Response ok = api().post(PR, api().json(Map.of("comment", "y".repeat(65536))));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void missingCommentIs400NamingTheField() {
        assertValidationProblem(api().post(PR, "{}"), "comment");
    }

    @Test
    void emptyIssueCommentIs400NamingItsBodyField() {
        Api.Response r = api().post("/api/v1/github/issues/octo/hello/8/comment", "{\"body\": \"\"}");
        assertValidationProblem(r, "body");
        assertThat(r.list("invalid_params")).extracting(p -> p.get("name")).containsExactly("body");
    }

    @Test
    void missingBodyIs400NamingTheBody() {
        Api.Response r = api().send("POST", PR, null, "Content-Type", "application/json");
        assertValidationProblem(r, "body");
        assertThat((String) r.get("detail")).doesNotContain("postPRCommentRequest");
    }

    @Test
    void validCommentIsRecordedAnsweredAsDryRunAndNothingIsSent() {
        String correlationId = "corr-" + UUID.randomUUID();
        Api.Response r = api().post(PR, "{\"comment\": \"Looks good to me\"}", "X-Correlation-Id", correlationId);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.get("success")).isEqualTo(true);
        assertThat(r.getLong("comment_id")).isPositive();
        assertThat((String) r.get("message")).containsIgnoringCase("dry run");
        assertThat(r.json()).doesNotContainKey("error");
        assertThat(r.header("X-Correlation-Id")).isEqualTo(correlationId);
        assertThat(github.getAllServeEvents()).as("dry-run sends nothing").isEmpty();

        Api.Response calls = api().get("/api/v1/github/calls?correlation_id=" + correlationId);
        assertThat(calls.status()).isEqualTo(200);
        assertThat(calls.getLong("total")).isEqualTo(1);
        Map<String, Object> call = calls.list("items").get(0);
        assertThat(call).containsEntry("operation", "postPrComment")
            .containsEntry("method", "POST")
            .containsEntry("url", github.baseUrl() + "/repos/octo/hello/issues/7/comments")
            .containsEntry("request_body", "{\"body\":\"Looks good to me\"}")
            .containsEntry("dry_run", true)
            .containsEntry("attempts", 0)
            .containsEntry("correlation_id", correlationId)
            .containsEntry("vendor_id", Long.toString(r.getLong("comment_id")))
            .doesNotContainKey("status_code");
        assertThat((String) call.get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*(Z|[+-]\\d\\d:\\d\\d)");
    }

    @Test
    void everyOperationAnswersDryRunWithDistinctSyntheticIds() {
        Api api = api();
        Api.Response issue = api.post("/api/v1/github/issues/octo/hello/8/comment", "{\"body\": \"Working on it\"}");
        assertThat(issue.status()).isEqualTo(200);
        assertThat(issue.get("dry_run")).isEqualTo(true);
        assertThat(issue.get("success")).isEqualTo(true);
        long id = issue.getLong("comment_id");

        Api.Response update = api.patch("/api/v1/github/comments/octo/hello/" + id, "{\"body\": \"Done\"}");
        assertThat(update.status()).isEqualTo(200);
        assertThat(update.get("dry_run")).isEqualTo(true);
        assertThat(update.getLong("comment_id")).isEqualTo(id);

        Api.Response reaction = api.post("/api/v1/github/comments/octo/hello/1234567/reactions",
            "{\"content\": \"eyes\", \"comment_type\": \"review_comment\"}");
        assertThat(reaction.status()).as(reaction.body()).isEqualTo(200);
        assertThat(reaction.get("dry_run")).isEqualTo(true);
        assertThat(reaction.getLong("reaction_id")).isPositive().isNotEqualTo(id);

        Api.Response got = api.get("/api/v1/github/issues/octo/hello/8");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.getLong("number")).isEqualTo(8);
        assertThat(got.get("is_pull_request")).isEqualTo(false);
        assertThat(got.get("labels")).isEqualTo(List.of());

        Api.Response second = api.post("/api/v1/github/issues/octo/hello/8/comment", "{\"body\": \"Another\"}");
        assertThat(second.getLong("comment_id")).isNotEqualTo(id);
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void sameIdempotencyKeyReplaysTheFirstResultAndRecordsOneCall() {
        String key = "task-" + UUID.randomUUID() + "-answer";
        String correlationId = UUID.randomUUID().toString();
        Api.Response first = api().post(PR, "{\"comment\": \"The answer\"}", "Idempotency-Key", key, "X-Correlation-Id", correlationId);
        Api.Response again = api().post(PR, "{\"comment\": \"The answer\"}", "Idempotency-Key", key, "X-Correlation-Id", correlationId);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(first.json());
        Api.Response calls = api().get("/api/v1/github/calls?correlation_id=" + correlationId);
        assertThat(calls.getLong("total")).isEqualTo(1);
        assertThat(calls.list("items").get(0)).containsEntry("idempotency_key", key);
    }

    @Test
    void malformedJsonIs400Problem() {
        Api.Response r = api().post(PR, "{\"comment\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("status")).isEqualTo(400);
        assertThat(r.get("title")).isEqualTo("Bad Request");
        assertThat((String) r.get("detail")).startsWith("Invalid JSON").doesNotContain("\n");
    }

    @Test
    void wrongTypesAre400NamingTheParameter() {
        Api.Response path = api().post("/api/v1/github/pr/octo/hello/abc/comment", "{\"comment\": \"hi\"}");
        assertValidationProblem(path, "pr_number");

        Api.Response zero = api().post("/api/v1/github/pr/octo/hello/0/comment", "{\"comment\": \"hi\"}");
        assertValidationProblem(zero, "pr_number");

        Api.Response owner = api().post("/api/v1/github/pr/-bad-/hello/7/comment", "{\"comment\": \"hi\"}");
        assertValidationProblem(owner, "owner");

        Api.Response dots = api().post("/api/v1/github/pr/octo/../7/comment", "{\"comment\": \"hi\"}");
        assertThat(dots.status()).isIn(400, 404);
        assertThat(dots.contentType()).startsWith("application/problem+json");

        Api.Response key = api().post(PR, "{\"comment\": \"hi\"}", "Idempotency-Key", "has spaces");
        assertValidationProblem(key, "Idempotency-Key");

        Api.Response enumValue = api().post("/api/v1/github/comments/octo/hello/1/reactions", "{\"content\": \"smile\"}");
        assertThat(enumValue.status()).isEqualTo(400);
        assertThat(enumValue.contentType()).startsWith("application/problem+json");
        assertThat((String) enumValue.get("detail")).contains("smile");

        Api.Response commentType = api().patch("/api/v1/github/comments/octo/hello/1?comment_type=gist", "{\"body\": \"x\"}");
        assertValidationProblem(commentType, "comment_type");

        Api.Response size = api().get("/api/v1/github/calls?size=201");
        assertValidationProblem(size, "size");
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void unknownRouteAndWrongMethodAreProblems() {
        Api.Response notFound = api().get("/api/v1/github/nothing-here");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.contentType()).startsWith("application/problem+json");
        assertThat((String) notFound.get("detail")).contains("/api/v1/github/nothing-here");

        Api.Response wrongMethod = api().send("DELETE", PR, null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
        assertThat(wrongMethod.get("status")).isEqualTo(405);
    }

    @Test
    void missingOrWrongServiceTokenIs401Problem() {
        Api.Response missing = anonymous().post(PR, "{\"comment\": \"hi\"}");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.get("title")).isEqualTo("Unauthorized");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(missing.header("X-Correlation-Id")).isNotBlank();

        Api.Response wrong = anonymous().get("/api/v1/github/calls", "Authorization", "Bearer not-a-token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("not-a-token");

        Api.Response gateway = anonymous().get("/api/v1/github/calls", "Authorization", "Bearer " + GATEWAY_TOKEN);
        assertThat(gateway.status()).isEqualTo(200);
    }

    @Test
    void healthAndPrometheusAreOpen() {
        Api.Response health = anonymous().get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(health.body()).contains("\"mode\":\"dry_run\"");
        Api.Response prometheus = anonymous().get("/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void callsArePagedNewestFirstAndFiltered() {
        String correlationId = "paging-" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            assertThat(api().post("/api/v1/github/issues/octo/hello/" + i + "/comment", "{\"body\": \"n" + i + "\"}",
                "X-Correlation-Id", correlationId).status()).isEqualTo(200);
        }
        Api.Response page1 = api().get("/api/v1/github/calls?correlation_id=" + correlationId + "&size=2&page=1");
        assertThat(page1.status()).isEqualTo(200);
        assertThat(page1.getLong("total")).isEqualTo(5);
        assertThat(page1.getLong("page")).isEqualTo(1);
        assertThat(page1.getLong("size")).isEqualTo(2);
        assertThat(page1.list("items")).extracting(m -> m.get("request_body"))
            .containsExactly("{\"body\":\"n3\"}", "{\"body\":\"n2\"}");

        Api.Response real = api().get("/api/v1/github/calls?correlation_id=" + correlationId + "&dry_run=false");
        assertThat(real.getLong("total")).isZero();
        Api.Response dry = api().get("/api/v1/github/calls?correlation_id=" + correlationId + "&dry_run=true");
        assertThat(dry.getLong("total")).isEqualTo(5);
        Api.Response all = api().get("/api/v1/github/calls?dry_run=true");
        assertThat(all.getLong("total")).isGreaterThanOrEqualTo(5);
        assertThat(all.getLong("size")).isEqualTo(50);
    }

    private static void assertValidationProblem(Api.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("status")).isEqualTo(400);
        assertThat(r.get("title")).isEqualTo("Bad Request");
        assertThat((String) r.get("detail")).contains(field);
        assertThat(r.list("invalid_params")).extracting(p -> p.get("name")).contains(field);
    }
}
