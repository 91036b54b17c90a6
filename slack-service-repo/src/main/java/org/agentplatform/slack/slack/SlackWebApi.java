package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.slack.config.SlackSettings;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
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
    private final VendorHttp http;
    private final SlackSettings settings;
    private final SlackJson json;

    public SlackWebApi(RetryingSender sender, VendorHttp http, SlackSettings settings, SlackJson json) {
        this.sender = sender;
        this.http = http;
        this.settings = settings;
        this.json = json;
    }

    public URI uri(String method) {
        return settings.methodUri(method);
    }

    /** A method call that may be sent again freely (it creates nothing a second time). */
    public Answer call(String method, String body) {
        return call(method, body, null, null);
    }

    /**
     * A method call that creates something: after an attempt without an answer, {@code lostAnswer} is
     * asked before sending again; {@code unansweredBefore} is when an earlier request's unanswered
     * attempt (same Idempotency-Key) started, so the lookup comes before the first send.
     */
    public Answer call(String method, String body, @Nullable RetryingSender.LostAnswerCheck lostAnswer,
                       @Nullable Instant unansweredBefore) {
        URI uri = uri(method);
        RetryingSender.Exchange exchange = sender.send(uri, headers(true), body, this::transientReason,
                lostAnswer, unansweredBefore);
        JsonNode parsed = exchange.response() == null ? null : json.object(exchange.response().body());
        return new Answer(method, uri, exchange, parsed);
    }

    /**
     * One GET of a reading method ({@code query}: {@code ?name=value&…}, encoded), without retries:
     * Slack's answer as it came.
     *
     * @throws IOException when no answer came
     */
    public VendorHttp.Response read(String method, String query) throws IOException {
        return http.send("GET", URI.create(uri(method) + query), headers(false), null, settings.getRequestTimeout());
    }

    /** Why a {@link #read} got no answer, in words. */
    public String noAnswer(IOException e) {
        return RetryingSender.describe(e, settings.getRequestTimeout());
    }

    /** The bot token and the JSON headers of a Web API request ({@code withBody}: a POST with a JSON body). */
    private Map<String, String> headers(boolean withBody) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + settings.getBotToken());
        if (withBody) {
            headers.put("Content-Type", "application/json; charset=utf-8");
        }
        headers.put("Accept", "application/json");
        headers.put("User-Agent", "agentplatform-slack-service/0.1.0");
        return headers;
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
