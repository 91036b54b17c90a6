package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import org.agentplatform.slack.web.ProblemException;

import java.util.Set;

/**
 * Slack's answers that are not a success → problem+json. Slack's error codes are documented per
 * method (https://docs.slack.dev/reference/methods/chat.postMessage#errors and the like); the
 * code is kept as {@code slack_error} in the problem and as {@code error} in the call log.
 * <ul>
 *   <li>channel/message/thread not found → 404</li>
 *   <li>argument errors (invalid_arguments, msg_too_long, no_text, invalid_name…) → 400</li>
 *   <li>the token is refused (not_authed, invalid_auth, token_revoked…, missing_scope) → 502
 *       naming SLACK_BOT_TOKEN, and for missing_scope the scope Slack says is {@code needed}</li>
 *   <li>rate limits and 5xx that outlast the retries, no answer at all, anything else → 502</li>
 * </ul>
 */
public final class SlackErrors {

    static final Set<String> NOT_FOUND = Set.of("channel_not_found", "message_not_found", "thread_not_found");
    static final Set<String> BAD_ARGUMENTS = Set.of("invalid_arguments", "msg_too_long", "no_text", "invalid_name",
            "bad_timestamp", "too_many_attachments", "invalid_blocks", "invalid_blocks_format", "invalid_attachments",
            "invalid_arg_name", "invalid_array_arg", "no_item_specified");
    static final Set<String> TOKEN_REFUSED = Set.of("not_authed", "invalid_auth", "account_inactive", "token_revoked",
            "token_expired", "not_allowed_token_type", "no_permission", "ekm_access_denied", "access_denied",
            "team_access_not_granted", "two_factor_setup_required", "org_login_required", "accesslimited");

    private SlackErrors() {
    }

    /** The problem for a Web API answer that is not {@code ok}. */
    public static ProblemException webApi(SlackWebApi.Answer answer) {
        RetryingSender.Exchange exchange = answer.exchange();
        String method = answer.method();
        String code = answer.error();
        String mayHavePosted = exchange.unansweredSince() != null && "chat.postMessage".equals(method)
                ? "; an attempt without an answer may have posted it: a retry with the same Idempotency-Key looks for it"
                  + " in the channel before sending again" : "";
        if (exchange.response() == null) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack did not answer " + method + " after "
                    + exchange.attempts() + " attempt(s): " + exchange.lastTransientReason()
                    + " (check SLACK_API_URL and the network)" + mayHavePosted, null);
        }
        int status = exchange.response().status();
        if (exchange.exhausted()) {
            boolean rateLimited = status == 429 || (code != null && code.contains("ratelimited"));
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, (rateLimited
                    ? "Slack kept rate-limiting " + method
                    : "Slack kept failing " + method + " (" + exchange.lastTransientReason() + ")")
                    + " after " + exchange.attempts() + " attempt(s)"
                    + (exchange.retryAfter() == null ? "" : "; it asks to wait " + exchange.retryAfter().toSeconds() + " s")
                    + mayHavePosted,
                    code != null ? code : (rateLimited ? "ratelimited" : null));
        }
        if (code != null) {
            return byCode(method, code, answer);
        }
        if (status == 401 || status == 403) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack refused the credentials for " + method + " (HTTP "
                    + status + "): check SLACK_BOT_TOKEN", null);
        }
        if (status == 404) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack has no method " + method + " at " + answer.uri()
                    + " (HTTP 404): check SLACK_API_URL", null);
        }
        return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack answered " + method + " with HTTP " + status
                + " and no usable body", null);
    }

    private static ProblemException byCode(String method, String code, SlackWebApi.Answer answer) {
        if (NOT_FOUND.contains(code)) {
            String what = switch (code) {
                case "channel_not_found" -> "The channel does not exist or the bot cannot see it";
                case "message_not_found" -> "No message with that timestamp exists in the channel";
                default -> "No thread with that timestamp exists in the channel";
            };
            return ProblemException.slack(HttpStatus.NOT_FOUND, what + " (Slack " + method + ": " + code + ")", code);
        }
        if (BAD_ARGUMENTS.contains(code)) {
            String hint = SlackJson.firstMetadataMessage(answer.json());
            return ProblemException.slack(HttpStatus.BAD_REQUEST, "Slack refused the arguments of " + method + ": " + code
                    + (hint == null ? "" : " (" + hint + ")"), code);
        }
        if ("missing_scope".equals(code)) {
            String needed = SlackJson.text(answer.json(), "needed");
            String provided = SlackJson.text(answer.json(), "provided");
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "The Slack app behind SLACK_BOT_TOKEN lacks the scope "
                    + (needed == null ? "that " + method + " needs" : needed)
                    + " (missing_scope" + (provided == null ? "" : "; it has " + provided)
                    + "): add it in the app's OAuth settings and reinstall the app", code);
        }
        if (TOKEN_REFUSED.contains(code)) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack refused the bot token for " + method + " (" + code
                    + "): check SLACK_BOT_TOKEN", code);
        }
        if ("not_in_channel".equals(code)) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "The bot is not a member of the channel (Slack " + method
                    + ": not_in_channel): invite it with /invite", code);
        }
        return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack refused " + method + ": " + code, code);
    }

    /** The problem for a response_url answer that is not a success ({@code code} may be null). */
    public static ProblemException responseUrl(RetryingSender.Exchange exchange, @Nullable String code) {
        if (exchange.response() == null) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack did not answer the response_url after "
                    + exchange.attempts() + " attempt(s): " + exchange.lastTransientReason()
                    + (exchange.unansweredSince() == null ? "" : " (not sent again, also not for a retry with the same"
                    + " Idempotency-Key; post in the channel if it did not arrive)"), null);
        }
        int status = exchange.response().status();
        if (exchange.exhausted()) {
            return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack kept failing the response_url ("
                    + exchange.lastTransientReason() + ") after " + exchange.attempts() + " attempt(s)", code);
        }
        if ("expired_url".equals(code) || "used_url".equals(code)) {
            return ProblemException.slack(HttpStatus.GONE, "The response_url can no longer be used (" + code
                    + "): Slack accepts up to 5 answers within 30 minutes of the slash command; post in the channel instead",
                    code);
        }
        if ("invalid_payload".equals(code) || "no_text".equals(code) || "invalid_blocks".equals(code)) {
            return ProblemException.slack(HttpStatus.BAD_REQUEST, "Slack refused the reply (" + code + ")", code);
        }
        if (status == 404) {
            return ProblemException.slack(HttpStatus.NOT_FOUND, "Slack does not know this response_url (HTTP 404"
                    + (code == null ? "" : ", " + code) + ")", code);
        }
        if (status == 410) {
            return ProblemException.slack(HttpStatus.GONE, "The response_url can no longer be used (HTTP 410"
                    + (code == null ? "" : ", " + code) + ")", code);
        }
        return ProblemException.slack(HttpStatus.BAD_GATEWAY, "Slack refused the reply (HTTP " + status
                + (code == null ? "" : ", " + code) + ")", code);
    }
}
