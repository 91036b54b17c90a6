package org.agentplatform.slack.slack;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON in and out of Slack, on Micronaut Serde. */
@Singleton
public class SlackJson {

    private final ObjectMapper mapper;

    public SlackJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object, or null when the text is not one (Slack sometimes answers plain text). */
    @Nullable
    public JsonNode object(@Nullable String text) {
        if (text == null || text.isBlank() || text.strip().charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode node = mapper.readValue(text, JsonNode.class);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Nullable
    public static String text(@Nullable JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.getStringValue() : null;
    }

    public static boolean isTrue(@Nullable JsonNode node, String field) {
        if (node == null) {
            return false;
        }
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() && value.getBooleanValue();
    }

    /** The first of Slack's {@code response_metadata.messages}, which explain invalid_arguments. */
    @Nullable
    public static String firstMetadataMessage(@Nullable JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode metadata = node.get("response_metadata");
        if (metadata == null || !metadata.isObject()) {
            return null;
        }
        JsonNode messages = metadata.get("messages");
        if (messages == null || !messages.isArray() || messages.size() == 0) {
            return null;
        }
        JsonNode first = messages.get(0);
        return first != null && first.isString() ? first.getStringValue() : null;
    }
}
