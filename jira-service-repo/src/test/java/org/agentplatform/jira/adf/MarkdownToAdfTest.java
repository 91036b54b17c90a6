package org.agentplatform.jira.adf;

import static org.agentplatform.jira.adf.JsonAssert.assertJsonEquals;

import org.junit.jupiter.api.Test;

/**
 * Markdown → ADF against the examples in Atlassian's ADF reference. Each expected document is the
 * ADF of the cited page (wrapped in a {@code doc} where the page shows a lone node).
 */
class MarkdownToAdfTest {

    private final MarkdownToAdf converter = new MarkdownToAdf();

    private void check(String markdown, String expectedAdf) {
        assertJsonEquals(expectedAdf, converter.convert(markdown));
    }

    private static String doc(String content) {
        return "{\"version\": 1, \"type\": \"doc\", \"content\": [" + content + "]}";
    }

    @Test
    void comparisonNoticesDifferences() {
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> check("Hello *world*", doc("""
                {"type": "paragraph", "content": [
                  {"type": "text", "text": "Hello "},
                  {"type": "text", "text": "world", "marks": [{"type": "strong"}]}
                ]}""")));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> check("# Heading", doc("""
                {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Heading"}]}""")));
    }

    @Test
    void strongText_asInTheDocNodeExample() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/doc/
        check("Hello **world**", """
                {
                  "version": 1,
                  "type": "doc",
                  "content": [
                    {
                      "type": "paragraph",
                      "content": [
                        {"type": "text", "text": "Hello "},
                        {"type": "text", "text": "world", "marks": [{"type": "strong"}]}
                      ]
                    }
                  ]
                }""");
    }

    @Test
    void heading_withLevel() {
        // https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/heading
        check("# Heading 1", doc("""
                {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "Heading 1"}]}"""));
        check("###### Six", doc("""
                {"type": "heading", "attrs": {"level": 6}, "content": [{"type": "text", "text": "Six"}]}"""));
    }

    @Test
    void hardBreak_fromBackslashTrailingSpacesOrNewline() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/hardBreak/
        String expected = """
                {
                  "version": 1,
                  "type": "doc",
                  "content": [
                    {
                      "type": "paragraph",
                      "content": [
                        {"type": "text", "text": "Hello"},
                        {"type": "hardBreak"},
                        {"type": "text", "text": "world"}
                      ]
                    }
                  ]
                }""";
        check("Hello\\\nworld", expected);
        check("Hello  \nworld", expected);
        check("Hello\nworld", expected); // soft break: shown as a line break, as GitHub shows comments
        check("Hello<br>world", expected);
    }

    @Test
    void rule_betweenParagraphs() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/rule/
        check("Hello\n\n---\n\nWorld", """
                {
                  "version": 1,
                  "type": "doc",
                  "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": "Hello"}]},
                    {"type": "rule"},
                    {"type": "paragraph", "content": [{"type": "text", "text": "World"}]}
                  ]
                }""");
    }

    @Test
    void codeBlock_withLanguage() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/codeBlock/
        check("```javascript\nvar foo = {};\nvar bar = [];\n```", doc("""
                {
                  "type": "codeBlock",
                  "attrs": {"language": "javascript"},
                  "content": [{"type": "text", "text": "var foo = {};\\nvar bar = [];"}]
                }"""));
    }

    @Test
    void codeBlock_withoutLanguage_indentedOrEmpty() {
        check("    plain code\n", doc("""
                {"type": "codeBlock", "content": [{"type": "text", "text": "plain code"}]}"""));
        check("```\n```", doc("""
                {"type": "codeBlock", "content": []}"""));
    }

    @Test
    void orderedList_startingAtThree() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/orderedList/
        check("3. Hello\n4. World", doc("""
                {
                  "type": "orderedList",
                  "attrs": {"order": 3},
                  "content": [
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hello"}]}]},
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "World"}]}]}
                  ]
                }"""));
    }

    @Test
    void orderedList_startingAtOne_hasNoOrderAttribute() {
        check("1. one", doc("""
                {"type": "orderedList", "content": [
                  {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]}
                ]}"""));
    }

    @Test
    void bulletList_withListItem() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/listItem/
        check("- Hello world", doc("""
                {
                  "type": "bulletList",
                  "content": [
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hello world"}]}]}
                  ]
                }"""));
    }

    @Test
    void blockquote_withParagraphsAndList() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/blockquote/
        check("> Hello world\n>\n> - foo\n> - bar\n>\n> \u2014 Atlassian Document Format", doc("""
                {
                  "type": "blockquote",
                  "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": "Hello world"}]},
                    {
                      "type": "bulletList",
                      "content": [
                        {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "foo"}]}]},
                        {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "bar"}]}]}
                      ]
                    },
                    {"type": "paragraph", "content": [{"type": "text", "text": "\u2014 Atlassian Document Format"}]}
                  ]
                }"""));
    }

    @Test
    void linkMark_withHrefAndTitle() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/marks/link/
        check("[Hello world](http://atlassian.com \"Atlassian\")", doc("""
                {"type": "paragraph", "content": [
                  {"type": "text", "text": "Hello world",
                   "marks": [{"type": "link", "attrs": {"href": "http://atlassian.com", "title": "Atlassian"}}]}
                ]}"""));
    }

    @Test
    void simpleMarks_em_strong_code_strike() {
        // https://developer.atlassian.com/cloud/jira/platform/apis/document/marks/em (and .../strong, .../code, .../strike)
        for (String[] c : new String[][] {{"*Hello world*", "em"}, {"_Hello world_", "em"}, {"**Hello world**", "strong"},
                {"`Hello world`", "code"}, {"~~Hello world~~", "strike"}}) {
            check(c[0], doc("{\"type\": \"paragraph\", \"content\": [{\"type\": \"text\", \"text\": \"Hello world\", "
                    + "\"marks\": [{\"type\": \"" + c[1] + "\"}]}]}"));
        }
    }

    @Test
    void table_headerRowAndBodyRow() {
        // https://developer.atlassian.com/platform/framework/adf-builder/reference/nodes/table/ (without localId)
        check("| Row one, cell one |\n| --- |\n| Row one, cell two |", doc("""
                {
                  "type": "table",
                  "content": [
                    {"type": "tableRow", "content": [
                      {"type": "tableHeader", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Row one, cell one"}]}]}
                    ]},
                    {"type": "tableRow", "content": [
                      {"type": "tableCell", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Row one, cell two"}]}]}
                    ]}
                  ]
                }"""));
    }

    @Test
    void contractExample_doneWithInlineCode() {
        // the JiraCommentRequest example of the jira-service contract
        check("**Done.** The fix is in `checkout.js`.", doc("""
                {"type": "paragraph", "content": [
                  {"type": "text", "text": "Done.", "marks": [{"type": "strong"}]},
                  {"type": "text", "text": " The fix is in "},
                  {"type": "text", "text": "checkout.js", "marks": [{"type": "code"}]},
                  {"type": "text", "text": "."}
                ]}"""));
    }

    @Test
    void nestedMarks_areCombinedOncePerType() {
        check("***both*** and **bold _and italic_**", doc("""
                {"type": "paragraph", "content": [
                  {"type": "text", "text": "both", "marks": [{"type": "em"}, {"type": "strong"}]},
                  {"type": "text", "text": " and "},
                  {"type": "text", "text": "bold ", "marks": [{"type": "strong"}]},
                  {"type": "text", "text": "and italic", "marks": [{"type": "strong"}, {"type": "em"}]}
                ]}"""));
    }

    @Test
    void codeMark_standsAlone_andALinkWinsOverIt() {
        // ADF: code combines with no formatting mark; Atlassian's adf-utils drops code when a link is present
        check("**`x`** [`y`](https://e.x/y)", doc("""
                {"type": "paragraph", "content": [
                  {"type": "text", "text": "x", "marks": [{"type": "code"}]},
                  {"type": "text", "text": " "},
                  {"type": "text", "text": "y", "marks": [{"type": "link", "attrs": {"href": "https://e.x/y"}}]}
                ]}"""));
    }

    @Test
    void nestedList_firstChildIsAParagraph() {
        check("- parent\n  - child", doc("""
                {"type": "bulletList", "content": [
                  {"type": "listItem", "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": "parent"}]},
                    {"type": "bulletList", "content": [
                      {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "child"}]}]}
                    ]}
                  ]}
                ]}"""));
        // a list item that starts with a list gets an empty paragraph first (ADF forbids a list as first child)
        check("- - inner", doc("""
                {"type": "bulletList", "content": [
                  {"type": "listItem", "content": [
                    {"type": "paragraph", "content": []},
                    {"type": "bulletList", "content": [
                      {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "inner"}]}]}
                    ]}
                  ]}
                ]}"""));
    }

    @Test
    void blocksNotAllowedInListItemsOrQuotes_areRewritten() {
        check("- # Title\n\n> # Quoted\n> > deeper", doc("""
                {"type": "bulletList", "content": [
                  {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Title"}]}]}
                ]},
                {"type": "blockquote", "content": [
                  {"type": "paragraph", "content": [{"type": "text", "text": "Quoted"}]},
                  {"type": "paragraph", "content": [{"type": "text", "text": "deeper"}]}
                ]}"""));
    }

    @Test
    void autolinkImageAndSingleTilde() {
        check("See https://example.com/x ~5 min ![logo](https://e.x/l.png)", doc("""
                {"type": "paragraph", "content": [
                  {"type": "text", "text": "See "},
                  {"type": "text", "text": "https://example.com/x", "marks": [{"type": "link", "attrs": {"href": "https://example.com/x"}}]},
                  {"type": "text", "text": " ~5 min "},
                  {"type": "text", "text": "logo", "marks": [{"type": "link", "attrs": {"href": "https://e.x/l.png"}}]}
                ]}"""));
    }

    @Test
    void mentionsAndHtmlStayText_andEmptyInputGivesAnEmptyDoc() {
        check("@agent <kbd>x</kbd>", doc("""
                {"type": "paragraph", "content": [{"type": "text", "text": "@agent <kbd>x</kbd>"}]}"""));
        check("", doc(""));
        check("[ref]: https://e.x", doc(""));
    }
}
