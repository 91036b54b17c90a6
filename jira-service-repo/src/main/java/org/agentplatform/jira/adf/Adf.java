package org.agentplatform.jira.adf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny builders for Atlassian Document Format (ADF) nodes as plain JSON maps.
 *
 * <p>Node and mark shapes follow Atlassian's reference
 * (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure and the node pages
 * under .../apis/document/nodes/): {@code {"type": ..., "attrs": {...}, "content": [...]}} for block
 * nodes, {@code {"type": "text", "text": ..., "marks": [...]}} for text.
 */
public final class Adf {

    private Adf() {
    }

    /** The root node: {@code {"version": 1, "type": "doc", "content": [...]}}. */
    public static Map<String, Object> doc(List<Map<String, Object>> content) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 1);
        doc.put("type", "doc");
        doc.put("content", content);
        return doc;
    }

    public static Map<String, Object> node(String type) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", type);
        return node;
    }

    public static Map<String, Object> node(String type, Map<String, Object> attrs, List<Map<String, Object>> content) {
        Map<String, Object> node = node(type);
        if (attrs != null && !attrs.isEmpty()) {
            node.put("attrs", attrs);
        }
        if (content != null) {
            node.put("content", content);
        }
        return node;
    }

    public static Map<String, Object> text(String text, List<Map<String, Object>> marks) {
        Map<String, Object> node = node("text");
        node.put("text", text);
        if (marks != null && !marks.isEmpty()) {
            node.put("marks", new ArrayList<>(marks));
        }
        return node;
    }

    public static Map<String, Object> mark(String type) {
        return node(type);
    }

    public static Map<String, Object> attrs(Object... keyValues) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                attrs.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return attrs;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> content(Map<String, Object> node) {
        Object content = node.get("content");
        return content instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    public static String type(Map<String, Object> node) {
        Object type = node.get("type");
        return type == null ? "" : type.toString();
    }
}
