package org.agentplatform.jira.adf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flattens an ADF document (as parsed JSON: maps, lists, strings) to plain text, e.g. a Jira
 * issue's {@code description} for the contract's {@code JiraIssue.description}.
 *
 * <p>Top-level blocks are separated by a blank line, nested blocks by a newline; list items get
 * {@code "- "} or {@code "1. "}, table cells are joined with {@code " | "}, a rule becomes
 * {@code "---"}; inline nodes without text contribute what a reader sees: a mention its
 * {@code attrs.text}, an emoji its {@code attrs.text} or {@code shortName}, a card its URL.
 */
public final class AdfText {

    private AdfText() {
    }

    /** Plain text of the document, or null when the node is absent or holds no text. */
    public static String toPlainText(Object adf) {
        if (!(adf instanceof Map<?, ?> root)) {
            return adf instanceof String s && !s.isBlank() ? s : null; // Jira API v2 gives plain strings
        }
        String text;
        if ("doc".equals(root.get("type"))) {
            List<String> parts = new ArrayList<>();
            for (Object child : children(root)) {
                String block = block(child, "");
                if (!block.isBlank()) {
                    parts.add(block);
                }
            }
            text = String.join("\n\n", parts);
        } else {
            text = block(root, "");
        }
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * What two ADF documents must share to be the same comment: the text of all {@code text} nodes
     * in document order, concatenated, whitespace runs collapsed to one space, trimmed. Attributes,
     * marks and node structure are left out (Jira may normalise them, e.g. add {@code localId}s).
     */
    public static String matchText(Object adf) {
        StringBuilder sb = new StringBuilder();
        appendTextNodes(sb, adf);
        return sb.toString().replaceAll("(?U)\\s+", " ").strip();
    }

    private static void appendTextNodes(StringBuilder sb, Object node) {
        if (node instanceof Map<?, ?> map) {
            if ("text".equals(map.get("type")) && map.get("text") != null) {
                sb.append(map.get("text"));
            }
            for (Object child : children(map)) {
                appendTextNodes(sb, child);
            }
        }
    }

    private static String block(Object node, String indent) {
        if (!(node instanceof Map<?, ?> map)) {
            return "";
        }
        String type = String.valueOf(map.get("type"));
        switch (type) {
            case "paragraph", "heading" -> {
                return inline(map);
            }
            case "codeBlock" -> {
                return inline(map);
            }
            case "rule" -> {
                return "---";
            }
            case "bulletList", "orderedList" -> {
                List<String> lines = new ArrayList<>();
                int number = 1;
                if ("orderedList".equals(type) && map.get("attrs") instanceof Map<?, ?> attrs
                        && attrs.get("order") instanceof Number order) {
                    number = order.intValue();
                }
                for (Object item : children(map)) {
                    String bullet = "orderedList".equals(type) ? (number++) + ". " : "- ";
                    lines.add(indent + bullet + listItem(item, indent + "  "));
                }
                return String.join("\n", lines);
            }
            case "tableRow" -> {
                List<String> cells = new ArrayList<>();
                for (Object cell : children(map)) {
                    cells.add(blocks(cell, indent).replace("\n", " "));
                }
                return String.join(" | ", cells);
            }
            default -> {
                // blockquote, panel, table, expand, tableCell, mediaSingle, ...: their children in order
                if (isInline(type)) {
                    StringBuilder sb = new StringBuilder();
                    appendInline(sb, map);
                    return sb.toString();
                }
                return blocks(map, indent);
            }
        }
    }

    private static String listItem(Object item, String indent) {
        if (!(item instanceof Map<?, ?> map)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Object child : children(map)) {
            String text = block(child, indent);
            if (!text.isBlank()) {
                boolean nestedList = child instanceof Map<?, ?> c
                        && ("bulletList".equals(c.get("type")) || "orderedList".equals(c.get("type")));
                parts.add(nestedList ? "\n" + text : (parts.isEmpty() ? text : "\n" + indent + text));
            }
        }
        return String.join("", parts);
    }

    private static String blocks(Object node, String indent) {
        if (!(node instanceof Map<?, ?> map)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Object child : children(map)) {
            String text = block(child, indent);
            if (!text.isBlank()) {
                parts.add(text);
            }
        }
        return String.join("\n", parts);
    }

    private static String inline(Map<?, ?> container) {
        StringBuilder sb = new StringBuilder();
        for (Object child : children(container)) {
            appendInline(sb, child);
        }
        return sb.toString();
    }

    private static void appendInline(StringBuilder sb, Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        String type = String.valueOf(map.get("type"));
        Map<?, ?> attrs = map.get("attrs") instanceof Map<?, ?> a ? a : Map.of();
        switch (type) {
            case "text" -> sb.append(map.get("text") == null ? "" : map.get("text"));
            case "hardBreak" -> sb.append('\n');
            case "mention", "status" -> append(sb, attrs.get("text"));
            case "emoji" -> append(sb, attrs.get("text") != null ? attrs.get("text") : attrs.get("shortName"));
            case "inlineCard", "blockCard" -> append(sb, attrs.get("url"));
            case "date" -> append(sb, attrs.get("timestamp"));
            default -> {
                for (Object child : children(map)) {
                    appendInline(sb, child);
                }
            }
        }
    }

    private static void append(StringBuilder sb, Object value) {
        if (value != null) {
            sb.append(value);
        }
    }

    private static boolean isInline(String type) {
        return switch (type) {
            case "text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status" -> true;
            default -> false;
        };
    }

    private static List<?> children(Map<?, ?> node) {
        return node.get("content") instanceof List<?> list ? list : List.of();
    }
}
