package org.agentplatform.github.github;

import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.github.web.ApiProblem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub's error answers → problems for our caller, each with a detail that says what happened and, where
 * it is a setup problem, what to fix. Never includes a credential.
 * <ul>
 *   <li>404/410 → 404 (the repository, issue or comment does not exist, or the credential cannot see it)</li>
 *   <li>401, 403 that is not a rate limit → 502 (our credential is wrong or lacks a permission)</li>
 *   <li>422 → 422 (GitHub refused the content, e.g. a locked issue)</li>
 *   <li>403/429 rate limit still in force after retries → 503 with Retry-After</li>
 *   <li>5xx after retries, other statuses → 502</li>
 * </ul>
 */
@Singleton
public class GithubErrors {

    private static final int MAX_MESSAGE = 300;
    private final JsonMapper json;

    public GithubErrors(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param subject  what was addressed, e.g. {@code repos/octo/hello/issues/42}
     * @param mode     the credential in use, to name the setting to check
     */
    public ApiProblem map(GithubResponse response, String subject, GithubAuth.Mode mode) {
        int status = response.status();
        String message = githubMessage(response);
        String answered = "GitHub answered " + status + (message.isEmpty() ? "" : " " + message);
        if (RetryPolicy.isRateLimited(status, response.headers())) {
            return rateLimited(response, subject);
        }
        return switch (status) {
            case 404, 410 -> new ApiProblem(HttpStatus.NOT_FOUND, answered + " for " + subject
                + " (it does not exist, or the " + credentialName(mode) + " cannot see it)");
            case 401 -> new ApiProblem(HttpStatus.BAD_GATEWAY, answered + ": check " + credentialSetting(mode));
            case 403 -> new ApiProblem(HttpStatus.BAD_GATEWAY, answered + " for " + subject + ": the " + credentialName(mode)
                + " lacks a permission; " + permissionHint(mode));
            case 422 -> new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, answered + " for " + subject);
            default -> status >= 500
                ? new ApiProblem(HttpStatus.BAD_GATEWAY, answered + " for " + subject + " after " + response.attempts()
                    + " attempt(s); GitHub is failing, retry later")
                : new ApiProblem(HttpStatus.BAD_GATEWAY, answered + " for " + subject
                    + ": GitHub did not accept the request github-service sent");
        };
    }

    /** 503 with Retry-After: the rate limit outlasts what we may wait. */
    ApiProblem rateLimited(GithubResponse response, String subject) {
        Duration retryAfter = RetryPolicy.serverDelay(response.status(), response.headers(), Instant.now())
            .filter(d -> !d.isZero())
            .orElse(Duration.ofSeconds(60));
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "GitHub rate limit reached for " + subject + " (answered "
            + response.status() + " after " + response.attempts() + " attempt(s)); retry after "
            + Math.max(1, retryAfter.toSeconds()) + " s", List.of(), retryAfter);
    }

    /** GitHub's {@code message} plus the messages of its {@code errors}, shortened; empty when there is none. */
    String githubMessage(GithubResponse response) {
        if (response.body().length == 0) {
            return "";
        }
        try {
            JsonNode body = json.readValue(response.body(), JsonNode.class);
            if (body == null || !body.isObject()) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            JsonNode message = body.get("message");
            if (message != null && message.isString()) {
                parts.add(message.getStringValue());
            }
            JsonNode errors = body.get("errors");
            if (errors != null && errors.isArray()) {
                List<String> details = new ArrayList<>();
                for (JsonNode error : errors.values()) {
                    JsonNode m = error.isObject() ? error.get("message") : error;
                    JsonNode code = error.isObject() ? error.get("code") : null;
                    if (m != null && m.isString()) {
                        details.add(m.getStringValue());
                    } else if (code != null && code.isString()) {
                        JsonNode field = error.get("field");
                        details.add((field != null && field.isString() ? field.getStringValue() + " " : "") + code.getStringValue());
                    }
                }
                if (!details.isEmpty()) {
                    parts.add("(" + String.join("; ", details) + ")");
                }
            }
            String text = String.join(" ", parts);
            return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
        } catch (Exception e) {
            return "";
        }
    }

    private static String credentialName(GithubAuth.Mode mode) {
        return mode == GithubAuth.Mode.APP ? "GitHub App" : "token";
    }

    private static String credentialSetting(GithubAuth.Mode mode) {
        return mode == GithubAuth.Mode.APP
            ? "GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and the app's installation"
            : "GITHUB_TOKEN (expired, revoked or mistyped)";
    }

    private static String permissionHint(GithubAuth.Mode mode) {
        return mode == GithubAuth.Mode.APP
            ? "give the GitHub App read & write access to Issues and Pull requests on the repository"
            : "GITHUB_TOKEN needs Issues and Pull requests read & write (fine-grained) or the repo scope (classic), "
                + "and SSO authorization where the organisation requires it";
    }
}
