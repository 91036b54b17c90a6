package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack Web API (https://docs.slack.dev/apis/web-api/): {@code POST <SLACK_API_URL>/<method>}
 * with a JSON body, {@code Content-Type: application/json; charset=utf-8} and the bot token as
 * {@code Authorization: Bearer xoxb-…}. Slack answers HTTP 200 with {@code "ok": false} and an
 * {@code error} code on most errors, HTTP 429 with {@code Retry-After} when rate limited.
 */
@Singleton
public class SlackWebApi {

    /** Error codes Slack documents as transient: worth another try. */
    static final Set<String> TRANSIENT_ERRORS = Set.of("ratelimited", "rate_limited", "service_unavailable", "request_timeout");

    /** Slack's answer to one method call, after retries. */
    public record Answer(String method, URI uri, RetryingSender.Exchange exchange, @Nullable JsonNode json) {

        public boolean ok() {
            return !exchange.gaveUp() && exchange.response() != null && exchange.response().status() / 100 == 2
                    && SlackJson.isTrue(json, "ok");
        }

        @Nullable
        public String error() {
            return SlackJson.text(json, "error");
        }

        @Nullable
        public Integer status() {
            return exchange.response() == null ? null : exchange.response().status();
        }
    }

    private final RetryingSender sender;
    private final SlackSettings settings;
    private final SlackJson json;

    public SlackWebApi(RetryingSender sender, SlackSettings settings, SlackJson json) {
        this.sender = sender;
        this.settings = settings;
        this.json = json;
    }

    public URI uri(String method) {
        return settings.methodUri(method);
    }

    public Answer call(String method, String body) {
        URI uri = uri(method);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + settings.getBotToken());
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Accept", "application/json");
        headers.put("User-Agent", "agentplatform-slack-service/0.1.0");
        RetryingSender.Exchange exchange = sender.send(uri, headers, body, this::transientReason);
        JsonNode parsed = exchange.response() == null ? null : json.object(exchange.response().body());
        return new Answer(method, uri, exchange, parsed);
    }

    private Optional<String> transientReason(VendorHttp.Response response) {
        Optional<String> byStatus = RetryingSender.httpStatusOnly(response);
        if (byStatus.isPresent()) {
            return byStatus;
        }
        String error = SlackJson.text(json.object(response.body()), "error");
        if (error != null && TRANSIENT_ERRORS.contains(error)) {
            return Optional.of("Slack error " + error);
        }
        return Optional.empty();
    }
}
