package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Answers a slash command through its {@code response_url}: a POST of {@code {text,
 * response_type, replace_original}} as JSON, no bot token (the URL is the credential). Slack
 * answers a plain {@code ok}, or JSON {@code {"ok": true}}; failures come as a status and a short
 * code ({@code expired_url}, {@code used_url}, {@code invalid_payload}…), as text or as
 * {@code {"ok": false, "error": …}}: both forms are read. At most once after a lost answer: see
 * {@link #NO_READ_BACK}.
 */
@Singleton
public class ResponseUrlClient {

    private static final Pattern CODE = Pattern.compile("^[a-z][a-z0-9_]{1,63}$");

    /**
     * A response_url has no read-back API: after an attempt that may have been delivered without an
     * answer, the reply is never sent again (at most once), and the caller gets 502 saying so.
     */
    private static final RetryingSender.LostAnswerCheck NO_READ_BACK = since -> RetryingSender.Lookup.impossible(
            "a response_url cannot be read back, so the reply may have been delivered");

    /** Slack's answer, after retries. */
    public record Answer(RetryingSender.Exchange exchange, boolean ok, @Nullable String code) {
    }

    private final RetryingSender sender;
    private final SlackJson json;

    public ResponseUrlClient(RetryingSender sender, SlackJson json) {
        this.sender = sender;
        this.json = json;
    }

    /**
     * @param unansweredBefore when an earlier request with the same Idempotency-Key had an attempt that
     *                         may have been delivered without an answer: then nothing is sent
     */
    public Answer post(URI responseUrl, String body, @Nullable Instant unansweredBefore) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", "agentplatform-slack-service/0.1.0");
        RetryingSender.Exchange exchange = sender.send(responseUrl, headers, body, RetryingSender::httpStatusOnly,
                NO_READ_BACK, unansweredBefore);
        if (exchange.response() == null) {
            return new Answer(exchange, false, null);
        }
        VendorHttp.Response response = exchange.response();
        String text = response.body() == null ? "" : response.body().strip();
        JsonNode object = json.object(text);
        String code;
        boolean okBody;
        if (object != null) {
            okBody = SlackJson.isTrue(object, "ok");
            code = SlackJson.text(object, "error");
        } else {
            okBody = text.isEmpty() || text.equalsIgnoreCase("ok");
            code = okBody ? null : Optional.of(text).filter(t -> CODE.matcher(t).matches()).orElse(null);
        }
        boolean ok = !exchange.exhausted() && response.status() / 100 == 2 && okBody;
        return new Answer(exchange, ok, code);
    }
}
