package org.agentplatform.gateway.webhook.jira;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text of a Jira rich-text field as webhooks deliver it: wiki markup (a JSON string, e.g.
 * {@code "[~accountid:5b10a2844c20165700ede21g] please look"}) or, in REST v3 shaped payloads, an
 * Atlassian Document Format tree ({@code {"type":"doc","content":[...]}}) whose mentions are
 * {@code {"type":"mention","attrs":{"id":"<accountId>","text":"@Name"}}}.
 */
final class JiraText {

    private static final Pattern WIKI_MENTION = Pattern.compile("\\[~accountid:([^\\]]+)]");
    private static final Set<String> BLOCKS = Set.of("paragraph", "heading", "listItem", "codeBlock", "blockquote",
            "rule", "panel", "tableRow");

    private JiraText() {
    }

    /** Plain text of the field (ADF flattened: blocks on their own lines, mentions as their display text). */
    static String text(@Nullable JsonNode field) {
        if (field == null || field.isNull()) {
            return "";
        }
        if (field.isString()) {
            return field.getStringValue().strip();
        }
        StringBuilder out = new StringBuilder();
        adf(field, out);
        return out.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    /** The account ids mentioned in the field (wiki {@code [~accountid:..]} or ADF mention nodes). */
    static Set<String> mentionedAccounts(@Nullable JsonNode field) {
        Set<String> ids = new LinkedHashSet<>();
        if (field == null || field.isNull()) {
            return ids;
        }
        if (field.isString()) {
            Matcher m = WIKI_MENTION.matcher(field.getStringValue());
            while (m.find()) {
                ids.add(m.group(1));
            }
            return ids;
        }
        collectMentions(field, ids);
        return ids;
    }

    private static void adf(JsonNode node, StringBuilder out) {
        if (node.isArray()) {
            for (JsonNode child : node.values()) {
                adf(child, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String type = string(node.get("type"));
        if ("text".equals(type)) {
            out.append(string(node.get("text")));
            return;
        }
        if ("mention".equals(type)) {
            JsonNode attrs = node.get("attrs");
            String text = attrs == null ? null : string(attrs.get("text"));
            String id = attrs == null ? null : string(attrs.get("id"));
            out.append(text != null ? text : "[~accountid:" + id + "]");
            return;
        }
        if ("hardBreak".equals(type)) {
            out.append('\n');
            return;
        }
        JsonNode content = node.get("content");
        if (content != null) {
            adf(content, out);
        }
        if (type != null && BLOCKS.contains(type)) {
            out.append('\n');
        }
    }

    private static void collectMentions(JsonNode node, Set<String> ids) {
        if (node.isArray()) {
            for (JsonNode child : node.values()) {
                collectMentions(child, ids);
            }
        } else if (node.isObject()) {
            if ("mention".equals(string(node.get("type"))) && node.get("attrs") != null) {
                String id = string(node.get("attrs").get("id"));
                if (id != null) {
                    ids.add(id);
                }
            }
            JsonNode content = node.get("content");
            if (content != null) {
                collectMentions(content, ids);
            }
        }
    }

    @Nullable
    private static String string(@Nullable JsonNode node) {
        return node != null && node.isString() ? node.getStringValue() : null;
    }
}
