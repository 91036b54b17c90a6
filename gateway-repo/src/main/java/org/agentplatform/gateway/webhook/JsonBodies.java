package org.agentplatform.gateway.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.agentplatform.gateway.http.ProblemException;

import java.io.IOException;

/** Reading vendor payloads (already signature-checked) as JSON trees. */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** The body as a JSON object, or a 400 problem saying what was expected. */
    public static JsonNode object(JsonMapper json, byte[] body, String what) {
        JsonNode node;
        try {
            node = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "The body must be a JSON object (" + what + ")");
        }
        return node;
    }

    /** The node at {@code path} (dot-free field names), or null when any step is missing. */
    @Nullable
    public static JsonNode at(@Nullable JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(field);
        }
        return current == null || current.isNull() ? null : current;
    }

    /** The string (or number, as text) at {@code path}, or null. */
    @Nullable
    public static String text(@Nullable JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value == null) {
            return null;
        }
        if (value.isString()) {
            return value.getStringValue();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.coerceStringValue();
        }
        return null;
    }

    /** The string at {@code path}, or a 400 problem naming the payload field. */
    public static String required(@Nullable JsonNode node, String... path) {
        String value = text(node, path);
        if (value == null || value.isBlank()) {
            throw ProblemException.badField(String.join(".", path), "is required in this payload");
        }
        return value;
    }

    public static boolean has(@Nullable JsonNode node, String... path) {
        return at(node, path) != null;
    }
}
