package org.agentplatform.jira.adf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

class AdfTextTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static Object parse(String json) throws Exception {
        return JSON.readValue(json, Argument.mapOf(String.class, Object.class));
    }

    @Test
    void descriptionOfAtlassiansGetIssueExample() throws Exception {
        // fields.description of the 200 example of GET /rest/api/3/issue/{issueIdOrKey} (Jira Cloud REST v3 OpenAPI)
        Object description = parse("""
                {"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Main order flow broken"}]}]}""");
        assertEquals("Main order flow broken", AdfText.toPlainText(description));
    }

    @Test
    void matchText_isTheTextNodesWithWhitespaceCollapsed_whateverTheAttrsAndStructure() throws Exception {
        Object sent = parse("""
                {"type":"doc","version":1,"content":[{"type":"paragraph","content":[
                  {"type":"text","text":"Done. "},{"type":"text","text":"See","marks":[{"type":"strong"}]},
                  {"type":"text","text":" the log"}]},
                  {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[
                    {"type":"text","text":"one"}]}]}]}]}""");
        Object normalised = parse("""
                {"type":"doc","version":1,"content":[{"type":"paragraph","attrs":{"localId":"x1"},"content":[
                  {"type":"text","text":"Done.\\n  See  the log"}]},
                  {"type":"bulletList","attrs":{"localId":"x2"},"content":[{"type":"listItem","content":[
                    {"type":"paragraph","content":[{"type":"text","text":"one "}]}]}]}]}""");
        assertEquals("Done. See the logone", AdfText.matchText(sent));
        assertEquals(AdfText.matchText(sent), AdfText.matchText(normalised));
        assertNotEquals(AdfText.matchText(sent), AdfText.matchText(parse("""
                {"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Done. See the log"}]}]}""")));
        assertEquals("", AdfText.matchText(null));
    }

    @Test
    void richDocument() throws Exception {
        Object adf = parse("""
                {"type":"doc","version":1,"content":[
                  {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Steps"}]},
                  {"type":"paragraph","content":[
                    {"type":"text","text":"Ask "},
                    {"type":"mention","attrs":{"id":"5b10a2844c20165700ede21g","text":"@Mia Krystof"}},
                    {"type":"text","text":" first"},{"type":"hardBreak"},{"type":"text","text":"then "},
                    {"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}}]},
                  {"type":"orderedList","content":[
                    {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"open cart"}]},
                      {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"EU user"}]}]}]}]},
                    {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"pay"}]}]}]},
                  {"type":"codeBlock","attrs":{"language":"text"},"content":[{"type":"text","text":"Error 500\\nat checkout.js"}]},
                  {"type":"rule"},
                  {"type":"panel","attrs":{"panelType":"info"},"content":[{"type":"paragraph","content":[
                    {"type":"inlineCard","attrs":{"url":"https://example.com/log"}}]}]}
                ]}""");
        assertEquals("""
                Steps

                Ask @Mia Krystof first
                then 😄

                1. open cart
                  - EU user
                2. pay

                Error 500
                at checkout.js

                ---

                https://example.com/log""", AdfText.toPlainText(adf));
    }

    @Test
    void tableRowsAsPipes() throws Exception {
        Object adf = parse("""
                {"type":"doc","version":1,"content":[{"type":"table","content":[
                  {"type":"tableRow","content":[
                    {"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"a"}]}]},
                    {"type":"tableHeader","content":[{"type":"paragraph","content":[{"type":"text","text":"b"}]}]}]},
                  {"type":"tableRow","content":[
                    {"type":"tableCell","content":[{"type":"paragraph","content":[{"type":"text","text":"1"}]}]},
                    {"type":"tableCell","content":[{"type":"paragraph","content":[{"type":"text","text":"2"}]}]}]}]}]}""");
        assertEquals("a | b\n1 | 2", AdfText.toPlainText(adf));
    }

    @Test
    void absentEmptyOrPlain() throws Exception {
        assertNull(AdfText.toPlainText(null));
        assertNull(AdfText.toPlainText(parse("{\"type\":\"doc\",\"version\":1,\"content\":[]}")));
        assertEquals("plain v2 text", AdfText.toPlainText("plain v2 text"));
    }

    @Test
    void roundTripFromMarkdown() {
        Map<String, Object> adf = new MarkdownToAdf().convert("# Fixed\n- item **one**\n- item two\n\n```\ncode\n```");
        assertEquals("Fixed\n\n- item one\n- item two\n\ncode", AdfText.toPlainText(adf));
    }
}
