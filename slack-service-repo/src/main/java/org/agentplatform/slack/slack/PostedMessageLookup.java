package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the message a {@code chat.postMessage} attempt created when its answer was lost (a timeout, a
 * reset after sending). Every message the service posts carries Slack message metadata
 * {@code {"event_type": "agent_platform_message", "event_payload": {"idempotency_key": "<key>"}}};
 * the lookup reads the channel ({@code conversations.history}) or the thread
 * ({@code conversations.replies}) from a minute before the lost attempt began, with
 * {@code include_all_metadata=true}, and matches that metadata. Needs the bot scopes
 * {@code channels:history}, {@code groups:history}, {@code im:history}, {@code mpim:history}: without
 * them Slack answers {@code missing_scope}, which is logged and the message sent again (at least once).
 */
@Singleton
public class PostedMessageLookup {

    private static final Logger LOG = LoggerFactory.getLogger(PostedMessageLookup.class);

    /** The metadata {@code event_type} of every message the service posts. */
    public static final String EVENT_TYPE = "agent_platform_message";
    /** Slack's own lower bound is 1, upper 999; 200 is its recommendation. */
    static final int PAGE_LIMIT = 200;
    /** Pages followed through {@code response_metadata.next_cursor} before giving up the search. */
    static final int MAX_PAGES = 5;
    /** How far before the lost attempt's start to look (clock skew between us and Slack). */
    static final long SKEW_SECONDS = 60;

    /** Reads conversations.history / conversations.replies with the bot token. */
    private final SlackWebApi webApi;
    /** Parses Slack's listing and writes the answer that stands in for the lost one. */
    private final SlackJson json;

    public PostedMessageLookup(SlackWebApi webApi, SlackJson json) {
        this.webApi = webApi;
        this.json = json;
    }

    /** The {@code metadata} argument of {@code chat.postMessage} that marks a message with {@code key}. */
    public static Map<String, Object> metadata(String key) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("event_type", EVENT_TYPE);
        metadata.put("event_payload", Map.of("idempotency_key", key));
        return metadata;
    }

    /** The check for a message posted in {@code channel} (in the thread {@code threadTs}, if given) marked with {@code key}. */
    public RetryingSender.LostAnswerCheck check(String channel, @Nullable String threadTs, String key) {
        return since -> find(channel, threadTs, key, since);
    }

    RetryingSender.Lookup find(String channel, @Nullable String threadTs, String key, Instant since) {
        String method = threadTs == null ? "conversations.history" : "conversations.replies";
        String cursor = null;
        for (int page = 1; page <= MAX_PAGES; page++) {
            VendorHttp.Response response;
            try {
                response = webApi.read(method, query(channel, threadTs, since, cursor));
            } catch (IOException e) {
                return RetryingSender.Lookup.unknown(method + " gave no answer: " + webApi.noAnswer(e), null);
            }
            Optional<String> transientReason = RetryingSender.httpStatusOnly(response);
            JsonNode body = json.object(response.body());
            String error = SlackJson.text(body, "error");
            if (transientReason.isEmpty() && error != null && SlackWebApi.TRANSIENT_ERRORS.contains(error)) {
                transientReason = Optional.of("Slack error " + error);
            }
            if (transientReason.isPresent()) {
                return RetryingSender.Lookup.unknown(method + " answered " + transientReason.get(),
                        RetryingSender.retryAfter(response).orElse(null));
            }
            if (response.status() / 100 != 2 || !SlackJson.isTrue(body, "ok")) {
                String why = error != null ? error : "HTTP " + response.status();
                LOG.warn("Cannot look for the message with Idempotency-Key {} in {}: Slack's {} answered {}{}; sending it again"
                                + " (it may be posted twice)", key, channel, method, why,
                        "missing_scope".equals(error) ? " (the bot token needs channels:history, groups:history, im:history,"
                                + " mpim:history)" : "");
                return RetryingSender.Lookup.absent(method + " refused: " + why);
            }
            Optional<String> ts = match(body, key);
            if (ts.isPresent()) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("ok", true);
                answer.put("channel", channel);
                answer.put("ts", ts.get());
                return RetryingSender.Lookup.found(new VendorHttp.Response(response.status(), Map.of(), json.write(answer)),
                        "found in " + method + " as ts " + ts.get());
            }
            cursor = nextCursor(body);
            if (cursor == null) {
                break;
            }
        }
        return RetryingSender.Lookup.absent("no message with Idempotency-Key " + key + " in " + method);
    }

    /** The {@code ts} of the message whose metadata carries {@code key}. */
    static Optional<String> match(JsonNode body, String key) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            return Optional.empty();
        }
        for (JsonNode message : messages.values()) {
            JsonNode metadata = message.isObject() ? message.get("metadata") : null;
            if (metadata == null || !metadata.isObject() || !EVENT_TYPE.equals(SlackJson.text(metadata, "event_type"))) {
                continue;
            }
            JsonNode payload = metadata.get("event_payload");
            String ts = SlackJson.text(message, "ts");
            if (payload != null && payload.isObject() && key.equals(SlackJson.text(payload, "idempotency_key")) && ts != null) {
                return Optional.of(ts);
            }
        }
        return Optional.empty();
    }

    @Nullable
    private static String nextCursor(JsonNode body) {
        JsonNode more = body.get("has_more");
        JsonNode metadata = body.get("response_metadata");
        if (more == null || !more.isBoolean() || !more.getBooleanValue() || metadata == null || !metadata.isObject()) {
            return null;
        }
        String cursor = SlackJson.text(metadata, "next_cursor");
        return cursor == null || cursor.isBlank() ? null : cursor;
    }

    /** {@code channel}, {@code ts} (a thread), {@code oldest}, {@code include_all_metadata}, {@code limit}, {@code cursor}. */
    static String query(String channel, @Nullable String threadTs, Instant since, @Nullable String cursor) {
        StringBuilder query = new StringBuilder("?channel=").append(encode(channel));
        if (threadTs != null) {
            query.append("&ts=").append(encode(threadTs));
        }
        query.append("&oldest=").append(since.getEpochSecond() - SKEW_SECONDS)
                .append("&include_all_metadata=true&limit=").append(PAGE_LIMIT);
        if (cursor != null) {
            query.append("&cursor=").append(encode(cursor));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
