package org.agentplatform.jira.adf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

/** Structural JSON comparison (key order does not matter), with readable output on failure. */
public final class JsonAssert {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private JsonAssert() {
    }

    public static void assertJsonEquals(String expectedJson, Object actual) {
        try {
            String actualJson = actual instanceof String s ? s : JSON.writeValueAsString(actual);
            JsonNode expectedTree = JSON.readValue(expectedJson, JsonNode.class);
            JsonNode actualTree = JSON.readValue(actualJson, JsonNode.class);
            if (!expectedTree.equals(actualTree)) {
                assertEquals(JSON.writeValueAsString(expectedTree), JSON.writeValueAsString(actualTree));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
