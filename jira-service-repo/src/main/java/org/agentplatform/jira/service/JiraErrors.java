package org.agentplatform.jira.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import org.agentplatform.jira.vendor.JiraHttp.Exchange;
import org.agentplatform.jira.web.ApiProblem;

/**
 * Maps Jira's error answers to problems. Jira Cloud answers errors with an {@code ErrorCollection}:
 * {@code {"errorMessages": ["..."], "errors": {"field": "message"}}} (schema ErrorCollection in
 * Atlassian's OpenAPI document of REST v3).
 *
 * <ul>
 *   <li>400 → 400 with Jira's messages in {@code detail} (and 413 → 400: too large for Jira);</li>
 *   <li>404 → 404 (issue or comment missing, or not visible to the account);</li>
 *   <li>401/403 → 502 naming {@code JIRA_EMAIL}/{@code JIRA_API_TOKEN} (never their values);</li>
 *   <li>429/5xx left after the retries → 502, or 503 with {@code Retry-After} when Jira asked for a
 *       longer wait than {@code JIRA_RETRY_MAX_DELAY};</li>
 *   <li>anything else → 502 naming the status.</li>
 * </ul>
 */
final class JiraErrors {

    private JiraErrors() {
    }

    /** {@code what}: what the request was about ("issue PROJ-1"); {@code request}: its method and path. */
    static ApiProblem toProblem(JsonMapper json, Exchange answer, String what, String request, int maxAttempts) {
        int status = answer.status();
        String messages = messages(json, answer.body());
        String jiraSays = messages.isEmpty() ? "" : ": " + messages;
        if (status == 400) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "Jira rejected the request for " + what + jiraSays);
        }
        if (status == 413) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "Jira rejected the request for " + what + " as too large" + jiraSays);
        }
        if (status == 404) {
            return new ApiProblem(HttpStatus.NOT_FOUND, "Jira: " + what + " not found (or not visible to JIRA_EMAIL's account)"
                    + jiraSays);
        }
        if (status == 401 || status == 403) {
            return new ApiProblem(HttpStatus.BAD_GATEWAY, "Jira answered " + status + (status == 401 ? " Unauthorized" : " Forbidden")
                    + " for " + what + ": check JIRA_EMAIL and JIRA_API_TOKEN (an API token of that Atlassian account, "
                    + "with access to the project)" + jiraSays);
        }
        if (answer.retryAfter() != null && answer.attempts() < maxAttempts) {
            long seconds = Math.max(1, (answer.retryAfter().toMillis() + 999) / 1000);
            return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Jira answered " + status + " to " + request + " (" + what
                    + ") and asks to retry after " + seconds + " s (longer than JIRA_RETRY_MAX_DELAY)" + jiraSays)
                    .header("Retry-After", Long.toString(seconds));
        }
        if (status == 429 || status >= 500) {
            return new ApiProblem(HttpStatus.BAD_GATEWAY, "Jira still answered " + status + " for " + what + " after "
                    + answer.attempts() + " attempt(s) (JIRA_MAX_ATTEMPTS) of " + request + jiraSays);
        }
        return new ApiProblem(HttpStatus.BAD_GATEWAY, "Jira answered " + status + " for " + what + jiraSays);
    }

    /** Jira's errorMessages and errors ("field: message"), joined with "; ". */
    static String messages(JsonMapper json, String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        try {
            Map<?, ?> parsed = json.readValue(body, Map.class);
            if (parsed != null) {
                if (parsed.get("errorMessages") instanceof List<?> list) {
                    list.forEach(m -> out.add(String.valueOf(m)));
                }
                if (parsed.get("errors") instanceof Map<?, ?> errors) {
                    errors.forEach((k, v) -> out.add(k + ": " + v));
                }
                if (out.isEmpty() && parsed.get("message") != null) {
                    out.add(String.valueOf(parsed.get("message")));
                }
            }
        } catch (Exception notJson) {
            // an HTML error page or similar: say nothing rather than echo it
        }
        String joined = String.join("; ", out);
        return joined.length() > 1500 ? joined.substring(0, 1500) + "…" : joined;
    }
}
